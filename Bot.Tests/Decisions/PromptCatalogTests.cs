using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Tests.TestSupport;

namespace CustomerAdvocateBot.Tests.Decisions;

public sealed class PromptCatalogTests
{
    [Test]
    public void ShippedCatalogue_HasTheSevenCustomerPrompts_AndTheDrivers()
    {
        Assert.That(Catalogs.Default.Prompts.Select(p => p.Id), Is.EqualTo(new[]
        {
            "relationship", "incentives", "moments", "evidence", "frontline", "pilot", "customer-in-room", "drivers",
        }));
        Assert.That(Catalogs.Default.Find("moments")!.Choices.Select(c => c.Title), Is.EqualTo(new[]
        {
            "Discover", "Buy", "Onboard", "Use", "Get help", "Complain or return", "Renew or leave",
        }));
    }

    [Test]
    public void DuplicateIdsAndChoicelessChoicePrompts_AreRefusedWithEveryReason()
    {
        var path = WriteCatalog("""
            { "prompts": [
              { "id": "a", "title": "A", "question": "Q?", "kind": "choice", "choices": [ { "value": "x", "title": "X" } ] },
              { "id": "a", "title": "A again", "question": "Q?" }
            ] }
            """);

        var error = Assert.Throws<InvalidOperationException>(() => PromptCatalog.Load(path));

        Assert.That(error!.Message, Does.Contain("'a' appears 2 times").And.Contain("fewer than two choices"));
    }

    [Test]
    public void MalformedJson_IsRefusedNamingTheFile()
    {
        var path = WriteCatalog("{ \"prompts\": [ ");

        var error = Assert.Throws<InvalidOperationException>(() => PromptCatalog.Load(path));

        Assert.That(error!.Message, Does.Contain(path).And.Contain("not valid JSON"));
    }

    [Test]
    public async Task DeployerEditedCatalogue_IsWhatTheCardAsks()
    {
        var path = WriteCatalog("""
            { "prompts": [
              { "id": "churn", "title": "Churn", "question": "Who leaves because of this?", "kind": "text",
                "ifUnanswered": { "severity": "risk", "reason": "Churn unknown" } }
            ] }
            """);
        await using var connector = await RecordingConnector.StartAsync();
        await using var app = new BotApp(settings: new Dictionary<string, string?> { ["Decisions:PromptCatalogPath"] = path });
        var chat = new DecisionCheckFlow(app, connector, new TeamsActivities(connector.ServiceUrl));

        var (id, card, _) = await chat.RaiseAsync("close the Leeds store");
        var summary = DecisionCheckFlow.CardOf(await chat.PressAsync(DecisionVerbs.Complete, id, TeamsActivities.User()));

        Assert.That(card.Readable(), Does.Contain("Who leaves because of this?").And.Not.Contain("Long-term relationship"));
        Assert.That(summary.Readable(), Does.Contain("Customer risk"));
    }

    private static string WriteCatalog(string json)
    {
        var path = Path.Combine(Path.GetTempPath(), $"prompts-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }
}
