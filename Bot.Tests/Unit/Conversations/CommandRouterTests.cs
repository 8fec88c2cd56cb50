using CustomerAdvocateBot.BotFramework.Routing;
using CustomerAdvocateBot.Conversations;
using CustomerAdvocateBot.Teams;
using CustomerAdvocateBot.Tests.TestSupport;

namespace CustomerAdvocateBot.Tests.Unit.Conversations;

/// <summary>The command router with recording commands: mention removal, command words, flows first, free text, the fallback.</summary>
[Category("Unit")]
public sealed class CommandRouterTests
{
    private readonly TeamsActivities _teams = new("https://connector.invalid/");
    private InMemoryConnector _connector = null!;
    private RecordingCommand _list = null!;
    private RecordingCommand _check = null!;

    // NUnit shares one fixture instance between tests: start each from nothing.
    [SetUp]
    public void SetUp()
    {
        _connector = new InMemoryConnector();
        _list = new RecordingCommand("list");
        _check = new RecordingCommand("check", takesFreeText: true);
    }

    [Test]
    public async Task CommandWord_AfterTheMention_GoesToItsCommand_WithTheRest()
    {
        await SayAsync(Router(), "LIST page 2");

        Assert.That(_list.Inputs.Single(), Is.EqualTo(new CommandInput("LIST", "page 2", "LIST page 2")));
        Assert.That(_check.Inputs, Is.Empty);
    }

    [Test]
    public async Task NoCommandWord_GoesToTheFreeTextCommand_WithTheWholeText()
    {
        await SayAsync(Router(), "cut the returns window");

        Assert.That(_check.Inputs.Single(), Is.EqualTo(new CommandInput(string.Empty, "cut the returns window", "cut the returns window")));
    }

    [Test]
    public async Task NoCommandWord_NoFreeTextCommand_SaysHowToGetHelp()
    {
        await SayAsync(new CommandRouter([_list], []), "hello there");

        Assert.That(_connector.Sent.Single().Text, Does.Contain("Type help"));
    }

    [Test]
    public async Task ActiveFlow_TakesTheMessageBeforeFreeText_ButNotBeforeACommand()
    {
        var flow = new RecordingFlow();
        var router = Router(flow);

        await SayAsync(router, "my answer to the dialog");
        await SayAsync(router, "list");

        Assert.That(flow.Texts, Is.EqualTo(new[] { "my answer to the dialog" }));
        Assert.That((_check.Inputs.Count, _list.Inputs.Count), Is.EqualTo((0, 1)));
    }

    [Test]
    public async Task SubmitWithoutText_IsIgnored()
    {
        var submit = _teams.Message(string.Empty, mentionBot: false) with { Value = new System.Text.Json.Nodes.JsonObject { ["x"] = 1 } };

        await RouteAsync(Router(), submit);

        Assert.That(_list.Inputs.Concat(_check.Inputs), Is.Empty);
        Assert.That(_connector.Sent, Is.Empty);
    }

    [Test]
    public void Register_DuplicateCommandOrTwoFreeTextCommands_Throws()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new CommandRouter([_list, new RecordingCommand("List")], []), Throws.InvalidOperationException.With.Message.Contains("'List'"));
            Assert.That(() => new CommandRouter([_check, new RecordingCommand("start", takesFreeText: true)], []), Throws.InvalidOperationException.With.Message.Contains("free text"));
        });
    }

    private CommandRouter Router(params IConversationFlow[] flows) => new([_list, _check], flows);

    private Task SayAsync(CommandRouter commands, string text) => RouteAsync(commands, _teams.Message(text));

    private async Task RouteAsync(CommandRouter commands, CustomerAdvocateBot.BotFramework.Schema.Activity activity)
    {
        var router = new ActivityRouter();
        commands.Map(router);
        await router.RouteAsync(new TurnContext(activity, _connector), CancellationToken.None);
    }

    private sealed class RecordingCommand(string name, bool takesFreeText = false) : IBotCommand
    {
        public List<CommandInput> Inputs { get; } = [];

        public string Name => name;

        public string Usage => name;

        public string Summary => $"the {name} command";

        public bool TakesFreeText => takesFreeText;

        public Task HandleAsync(TurnContext turn, CommandInput input, CancellationToken cancellationToken)
        {
            Inputs.Add(input);
            return Task.CompletedTask;
        }
    }

    private sealed class RecordingFlow : IConversationFlow
    {
        public List<string> Texts { get; } = [];

        public Task<bool> TryContinueAsync(TurnContext turn, string text, CancellationToken cancellationToken)
        {
            Texts.Add(text);
            return Task.FromResult(true);
        }
    }
}
