using CustomerAdvocateBot.BotFramework.Routing;
using CustomerAdvocateBot.Conversations;
using CustomerAdvocateBot.Tests.TestSupport;
using CustomerAdvocateBot.Tests.TestSupport.Fakes;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.Tests.Unit.Conversations;

/// <summary>
/// What an instance remembers of the references it stored: enough to skip the write for a conversation it has seen, and
/// bounded, so a bot that lives for months in thousands of chats does not keep every one of them in memory.
/// </summary>
[Category("Unit")]
public sealed class ConversationReferenceMemoryTests
{
    private InMemoryConversationReferenceStore _store = null!;
    private InMemoryConnector _connector = null!;

    [SetUp]
    public void Start()
    {
        _store = new InMemoryConversationReferenceStore();
        _connector = new InMemoryConnector();
    }

    [Test]
    public async Task AConversationSeenBefore_IsNotWrittenAgain_UntilItsServiceUrlChanges()
    {
        var router = Router(maxRemembered: 10);
        var chat = UnitBot.GroupChat("19:seen@thread.v2");

        await SayAsync(router, chat, "help");
        await SayAsync(router, chat, "list");
        var moved = new TeamsActivities("https://smba.trafficmanager.net/emea/", chat.TenantId, chat.ConversationId, "groupChat");
        await SayAsync(router, moved, "help");

        Assert.Multiple(async () =>
        {
            Assert.That(_store.Saves, Is.EqualTo(2), "the second message changed nothing; the new service URL did");
            var kept = await _store.GetAsync(chat.TenantId, chat.ConversationId, CancellationToken.None);
            Assert.That(kept!.Reference.ServiceUrl, Is.EqualTo("https://smba.trafficmanager.net/emea/"));
        });
    }

    [Test]
    public async Task PastTheLimit_TheMemoryStartsOver_SoAConversationCostsOneMoreWrite_NotAWrongSkip()
    {
        var router = Router(maxRemembered: 3);
        var chats = Enumerable.Range(1, 4).Select(i => UnitBot.GroupChat($"19:chat-{i}@thread.v2")).ToList();

        foreach (var chat in chats)
        {
            await SayAsync(router, chat, "help"); // the fourth finds the memory full: it starts over with only chat 4
        }

        await SayAsync(router, chats[3], "help");
        var whileRemembered = _store.Saves;
        await SayAsync(router, chats[0], "help");

        Assert.Multiple(() =>
        {
            Assert.That(whileRemembered, Is.EqualTo(4), "chat 4 is remembered after the memory started over");
            Assert.That(_store.Saves, Is.EqualTo(5), "chat 1 was forgotten, so it is written once more");
        });
    }

    private ActivityRouter Router(int maxRemembered)
    {
        var router = new ActivityRouter();
        new ConversationReferenceRoutes(_store, Options.Create(new ConversationReferenceOptions { MaxRemembered = maxRemembered })).Map(router);
        return router;
    }

    private Task SayAsync(ActivityRouter router, TeamsActivities chat, string text) =>
        router.RouteAsync(new TurnContext(chat.Message(text, TeamsActivities.User("Avery Lee")), _connector), CancellationToken.None);
}
