using System.Text.Json.Nodes;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Reviews;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CustomerAdvocateBot.Tests.Security;

/// <summary>Abuse limits through the real pipeline: digest now per scope, list paging, card inputs no card could send.</summary>
public sealed class AbuseLimitTests
{
    private static readonly CustomerAdvocateBot.BotFramework.Schema.ChannelAccount Avery = TeamsActivities.User("Avery Lee");
    private RecordingConnector _connector = null!;

    [SetUp]
    public async Task SetUp() => _connector = await RecordingConnector.StartAsync();

    [TearDown]
    public async Task TearDown() => await _connector.DisposeAsync();

    [Test]
    public async Task DigestNow_AtMostOncePerScopePerCooldown_OtherScopesUnaffected_AndAgainAfterIt()
    {
        var time = new FakeTimeProvider(DigestTestKit.Start);
        await using var app = DigestTestKit.App(time);
        var chat = new TeamsActivities(_connector.ServiceUrl, conversationId: "19:busy-chat@thread.v2");
        var other = new TeamsActivities(_connector.ServiceUrl, conversationId: "19:other-chat@thread.v2");

        await app.SayAsync(_connector, chat.Message("digest now"));
        var second = await app.SayAsync(_connector, chat.Message("digest now"));
        await app.SayAsync(_connector, other.Message("digest now"));
        time.Advance(TimeSpan.FromMinutes(5));
        await app.SayAsync(_connector, chat.Message("digest now"));

        Assert.Multiple(() =>
        {
            Assert.That(second.Card, Is.Null);
            Assert.That(second.Text, Does.StartWith("A digest was posted here a moment ago; digest now works again from 09:05 UTC"));
            Assert.That(_connector.DigestPosts(), Has.Count.EqualTo(3), "first, the other chat's, and the one after the cooldown");
        });
    }

    [TestCase("2147483647")]
    [TestCase("2147483648")]
    [TestCase("99999999999999999999")]
    [TestCase("51")]
    public async Task ListPastTheLastPage_SaysHowFarItGoes_NeverWrapsToPageOne(string page)
    {
        await using var app = new BotApp();
        var flow = new DecisionCheckFlow(app, _connector, new TeamsActivities(_connector.ServiceUrl));
        await flow.RaiseAsync("check cut the returns window", Avery);

        var reply = await flow.SayAsync("list " + page);

        Assert.That(reply.Card, Is.Null);
        Assert.That(reply.Text, Does.StartWith($"list goes back {ListCommand.MaxPage} pages"));
    }

    [Test]
    public async Task MultiSelectWithTwentyThousandRepeatedChoices_IsRefusedWithWords_NothingStored()
    {
        await using var app = new BotApp();
        var flow = new DecisionCheckFlow(app, _connector, new TeamsActivities(_connector.ServiceUrl));
        var (id, _, _) = await flow.RaiseAsync("check cut the returns window", Avery);
        var multi = Catalogs.Default.Prompts.First(p => p.Kind == AnswerKind.MultiChoice);
        var flood = string.Join(',', Enumerable.Repeat(multi.Choices[0].Value, 20_000));

        var response = await flow.PressAsync(DecisionVerbs.Answer, id, Avery, (DecisionCardFields.Choice(multi.Id), flood));

        Assert.That(response["type"]!.GetValue<string>(), Is.EqualTo("application/vnd.microsoft.activity.message"));
        Assert.That(response["value"]!.GetValue<string>(), Does.Contain("at most once"));
        var answers = await app.Services.GetRequiredService<DecisionStore>().GetAnswersAsync(flow.Teams.TenantId, id, CancellationToken.None);
        Assert.That(answers, Is.Empty);
    }
}
