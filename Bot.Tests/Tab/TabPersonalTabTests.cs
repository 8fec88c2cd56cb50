using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using CustomerAdvocateBot.BotFramework.Connector;
using CustomerAdvocateBot.Common.Storage;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Tab;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CustomerAdvocateBot.Tests.Tab;

/// <summary>
/// The personal tab ("My decisions") through the tab API: it reads the person's index (<see cref="PersonIndex"/>), pages
/// it with continuation tokens, shows decisions they raised, own or answered, and applies the access rule to each.
/// </summary>
[NonParallelizable]
public sealed class TabPersonalTabTests
{
    private const int OlderDecisions = 2150;
    private const string PatId = "eeeeeeee-0000-4000-8000-000000000005";
    private const string LeeId = "ffffffff-0000-4000-8000-000000000006";
    private static readonly DateTimeOffset Newest = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task OlderDecisions_AreIndexedByTheBackfill_AndAPersonPagesThroughAllOfThem_SeeingNoOneElses()
    {
        using var entraKey = new TestSigningKey("entra-tab-personal");
        await using var metadata = await OpenIdMetadataServer.StartAsync();
        metadata.ServeEntraKeys(entraKey);
        // Pat and Lee are members of the chat; Olive (the outsider) is not.
        await using var roster = await TabTestKit.RosterConnector.StartAsync(PatId, LeeId, TabTestKit.MemberId);
        await using var app = new BotApp(settings: TabTestKit.SsoSettings(metadata), services: services => services.Replace(ServiceDescriptor.Singleton<IBotTokenProvider>(new FixedBotTokenProvider())));
        using var client = app.CreateClient();
        var tables = TabTestKit.Tables(app.TablePrefix);
        await tables.CreateAllAsync(CancellationToken.None);
        var store = new DecisionStore(tables);

        // Stored before the index existed (ImportAsync writes no index rows; the answers are written as bare rows, as before the index): Pat raised 2,150
        // over the years and owns one of Megan's; Megan raised 40 more; Lee and Olive answered some of Megan's.
        var pats = Enumerable.Range(0, OlderDecisions)
            .Select(i => Seeded(Id(i), Newest.AddDays(-i).AddMinutes(-7), $"Pat's decision {i}", PatId, roster.ServiceUrl))
            .ToList();
        var megans = Enumerable.Range(0, 40)
            .Select(i => Seeded(Id(10_000 + i), Newest.AddDays(-i * 30), $"Megan's decision {i}", TabTestKit.MemberId, roster.ServiceUrl) with
            {
                Owner = i == 7 ? new Person(PatId, "Pat Doe") : null,
            })
            .ToList();
        await store.ImportAsync([.. pats, .. megans], CancellationToken.None);
        foreach (var d in megans.Where((_, i) => i % 5 == 0))
        {
            await StoreOlderAnswerAsync(tables, d.Id, LeeId, "Lee Gu");
            await StoreOlderAnswerAsync(tables, d.Id, TabTestKit.OutsiderId, "Olive Outsider");
        }

        Assert.That(await PagesAsync(client, TabTestKit.Mint(entraKey, objectId: LeeId, name: "Lee Gu")), Is.Empty, "not indexed yet: until the backfill is done the older read (raised or owned) shows, and Lee only answered");
        // That request found no index marker, so it started the backfill (the upgrade path): wait for it to finish.
        await app.Services.GetRequiredService<PersonIndexBackfill>().ExecuteTask!;

        var patPages = await PagesAsync(client, TabTestKit.Mint(entraKey, objectId: PatId, name: "Pat Doe"));
        var expected = pats.Append(megans[7]).OrderByDescending(d => d.CreatedAt).Select(d => d.Id).ToList();
        Assert.That(patPages.SelectMany(p => p).ToList(), Is.EqualTo(expected), "every one, newest first, once: past the older read's 2,000");
        Assert.That(patPages, Has.All.Matches<List<string>>(p => p.Count <= TabDecisionReader.DefaultPageSize));
        Assert.That(patPages, Has.Count.GreaterThan(OlderDecisions / TabDecisionReader.DefaultPageSize));

        var lee = (await PagesAsync(client, TabTestKit.Mint(entraKey, objectId: LeeId, name: "Lee Gu"))).SelectMany(p => p).ToList();
        Assert.That(lee, Is.EqualTo(megans.Where((_, i) => i % 5 == 0).OrderByDescending(d => d.CreatedAt).Select(d => d.Id)), "what Lee answered, as a member of the chat");

        var olive = (await PagesAsync(client, TabTestKit.Mint(entraKey, objectId: TabTestKit.OutsiderId, name: "Olive Outsider"))).SelectMany(p => p).ToList();
        Assert.That(olive, Is.Empty, "Olive answered too but is no longer a member: the access rule hides them");
        using var detail = await GetAsync(client, TabTestKit.Mint(entraKey, objectId: TabTestKit.OutsiderId), $"/api/tab/decisions/{megans[0].Id}?scope=mine");
        Assert.That(detail.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        using var leeDetail = await GetAsync(client, TabTestKit.Mint(entraKey, objectId: LeeId), $"/api/tab/decisions/{megans[0].Id}?scope=mine");
        Assert.That(leeDetail.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var otherTenant = (await PagesAsync(client, TabTestKit.Mint(entraKey, objectId: PatId, tenant: TabTestKit.OtherTenant))).SelectMany(p => p).ToList();
        Assert.That(otherTenant, Is.Empty, "Pat's object id with another tenant's token reads that tenant's partition");
    }

    [Test]
    public async Task AnsweringADecision_AddsItToMyTab()
    {
        await using var connector = await RecordingConnector.StartAsync();
        var teams = new TeamsActivities(connector.ServiceUrl);
        var adele = TeamsActivities.User("Adele Vance");
        // Development with authentication off: the tab's marked local identity is Adele, in the chat's tenant.
        await using var app = new BotApp(settings: new Dictionary<string, string?>
        {
            ["Tab:LocalIdentity:TenantId"] = teams.TenantId,
            ["Tab:LocalIdentity:ObjectId"] = adele.AadObjectId,
            ["Tab:LocalIdentity:Name"] = adele.Name,
        });
        var chat = new DecisionCheckFlow(app, connector, teams);
        using var client = app.CreateClient();
        await app.Services.GetRequiredService<PersonIndexBackfill>().RunAsync(CancellationToken.None);

        var (id, _, _) = await chat.RaiseAsync("check cut the returns window from 60 to 30 days");
        var (mineOnly, _, _) = await chat.RaiseAsync("check move the help desk online", adele);
        Assert.That((await PagesAsync(client, token: null)).SelectMany(p => p), Is.EqualTo(new[] { mineOnly }), "raised by me: mine; raised by Avery: not yet");

        await chat.AnswerAsync(id, adele, "relationship", "harms", "Loyal customers lose out");

        Assert.That((await PagesAsync(client, token: null)).SelectMany(p => p), Is.EqualTo(new[] { mineOnly, id }), "answered by me: now mine too");
        using var detail = await GetAsync(client, null, $"/api/tab/decisions/{id}?scope=mine");
        Assert.That(detail.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await detail.Content.ReadFromJsonAsync<JsonObject>())!["prompts"]!.ToJsonString(), Does.Contain("Loyal customers lose out"));
    }

    private static Decision Seeded(string id, DateTimeOffset createdAt, string text, string raiserId, string serviceUrl) =>
        TabTestKit.Decision(id, createdAt, text, serviceUrl: serviceUrl) with { RaisedBy = new Person(raiserId, raiserId == PatId ? "Pat Doe" : "Megan Bowen") };

    private static string Id(int i)
    {
        const string alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
        return "D-" + string.Concat(new[] { i / 29791 % 31, i / 961 % 31, i / 31 % 31, i % 31 }.Select(k => alphabet[k]));
    }

    /// <summary>An answer row as the bot stored it before the index (docs/storage.md: <c>D|{id}|A|{prompt}|{person}</c>), with no index row.</summary>
    private static Task StoreOlderAnswerAsync(StorageTables tables, string decisionId, string personId, string name) =>
        tables.Get(StorageTables.Decisions).AddEntityAsync(new TableEntity(TabTestKit.Tenant, $"D|{decisionId}|A|relationship|{personId}")
        {
            ["DecisionId"] = decisionId, ["PromptId"] = "relationship", ["ById"] = personId, ["ByName"] = name,
            ["Choices"] = "[\"harms\"]", ["AnsweredAt"] = Newest,
        });

    /// <summary>Every page of the personal tab, following the continuation tokens (ids per page).</summary>
    private static async Task<List<List<string>>> PagesAsync(HttpClient client, string? token)
    {
        var pages = new List<List<string>>();
        string? continuation = null;
        do
        {
            var path = "/api/tab/decisions?scope=mine" + (continuation is null ? string.Empty : "&continuation=" + continuation);
            using var response = await GetAsync(client, token, path);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
            var page = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            pages.Add(page["decisions"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).ToList());
            continuation = page["continuation"]?.GetValue<string>();
        }
        while (continuation is not null && pages.Count < 500);

        return pages.Where(p => p.Count > 0).ToList();
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string? token, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await client.SendAsync(request);
    }
}
