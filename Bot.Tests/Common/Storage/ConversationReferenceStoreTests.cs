using CustomerAdvocateBot.Common.Storage;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAdvocateBot.Tests.Common.Storage;

/// <summary>Conversation references against Azurite.</summary>
public sealed class ConversationReferenceStoreTests
{
    [Test]
    public async Task ReferenceSavedByOneAppInstance_SurvivesRestart()
    {
        await using var connector = await RecordingConnector.StartAsync();
        var teams = new TeamsActivities(connector.ServiceUrl, tenantId: "tenant-restart", conversationId: "19:abc;messageid=1/2#3?x@thread.tacv2", conversationType: "channel");
        var prefix = TestEnvironment.UniqueTablePrefix();

        await using (var first = new BotApp(prefix))
        {
            using var response = await first.PostActivityAsync(teams.Message("help"));
            Assert.That(response.IsSuccessStatusCode, Is.True);
        }

        await using var second = new BotApp(prefix);
        using var scope = second.Services.CreateScope();
        var store = second.Services.GetRequiredService<ConversationReferenceStore>();
        var saved = await store.GetAsync("tenant-restart", teams.ConversationId, CancellationToken.None);

        Assert.That(saved, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(saved!.Reference.ServiceUrl, Is.EqualTo(connector.ServiceUrl));
            Assert.That(saved.Reference.Conversation.Id, Is.EqualTo(teams.ConversationId));
            Assert.That(saved.Reference.Bot!.Id, Is.EqualTo(TeamsActivities.BotId));
            Assert.That(saved.ConversationType, Is.EqualTo("Channel"));
        });
    }

    [Test]
    public async Task Uninstall_ForgetsTheConversation()
    {
        await using var connector = await RecordingConnector.StartAsync();
        var teams = new TeamsActivities(connector.ServiceUrl, tenantId: "tenant-uninstall");
        await using var app = new BotApp();
        using (await app.PostActivityAsync(teams.Message("help")))
        {
        }

        using (await app.PostActivityAsync(teams.Installation("remove")))
        {
        }

        var store = app.Services.GetRequiredService<ConversationReferenceStore>();
        Assert.That(await store.GetAsync("tenant-uninstall", teams.ConversationId, CancellationToken.None), Is.Null);
    }
}
