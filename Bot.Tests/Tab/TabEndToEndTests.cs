using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CsvHelper;
using CustomerAdvocateBot.BotFramework.Connector;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Common.Storage;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CustomerAdvocateBot.Tests.Tab;

/// <summary>
/// The decision history tab in headless Chromium against the real app (on Kestrel, single sign-on on) and Azurite.
/// The test plays the Teams host's one part the page cannot do outside Teams: it adds the SSO token (minted with the
/// test's Entra key) to the page's API calls. Membership comes from a stand-in Bot Connector roster.
/// </summary>
[NonParallelizable]
public sealed class TabEndToEndTests
{
    private const int DecisionCount = 62;
    private static readonly DateTimeOffset Newest = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    private TestSigningKey _entraKey = null!;
    private OpenIdMetadataServer _metadata = null!;
    private TabTestKit.RosterConnector _roster = null!;
    private BotApp _app = null!;
    private string _baseUrl = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private List<Decision> _decisions = null!;

    private static string ScreenshotFolder => Path.Combine(AppContext.BaseDirectory, "screenshots", nameof(TabEndToEndTests));

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        Chromium.RequireExecutable();
        var bundle = Path.Combine(TestEnvironment.RepositoryRoot, "Bot", "wwwroot", "tab", "app.js");
        Assert.That(File.Exists(bundle), Is.True, "The tab's script is not built: run `node tab/build.mjs` after `npm ci` in tab/ (test.sh and run.sh do).");

        _entraKey = new TestSigningKey("entra-tab-e2e");
        _metadata = await OpenIdMetadataServer.StartAsync();
        _metadata.ServeEntraKeys(_entraKey);
        _roster = await TabTestKit.RosterConnector.StartAsync(TabTestKit.MemberId);
        _app = new BotApp(settings: TabTestKit.SsoSettings(_metadata), services: services => services.Replace(ServiceDescriptor.Singleton<IBotTokenProvider>(new FixedBotTokenProvider())));
        _app.UseKestrel(0);
        _app.StartServer();
        _baseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');

        var tables = TabTestKit.Tables(_app.TablePrefix);
        await tables.CreateAllAsync(CancellationToken.None);
        await TabTestKit.RecordChatAsync(tables, _roster.ServiceUrl);
        _decisions = await SeedAsync(new DecisionStore(tables), _roster.ServiceUrl);
        // The seed is stored as decisions from before the personal tab's index: index them as an upgrade does.
        await _app.Services.GetRequiredService<CustomerAdvocateBot.Tab.PersonIndexBackfill>().RunAsync(CancellationToken.None);
        Directory.CreateDirectory(ScreenshotFolder);
        (_playwright, _browser) = await Chromium.LaunchAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        if (_roster is not null)
        {
            await _roster.DisposeAsync();
        }

        if (_metadata is not null)
        {
            await _metadata.DisposeAsync();
        }

        _entraKey?.Dispose();
    }

    [Test]
    public async Task ListLoadsNewestFirst_SearchAndFilterNarrowIt_AndADecisionOpens()
    {
        var page = await OpenTabAsync(TabTestKit.Mint(_entraKey), width: 1000);
        var newest = _decisions.OrderByDescending(d => d.CreatedAt).ToList();

        await Expect(page.Locator(".row")).ToHaveCountAsync(50);
        Assert.That(await page.Locator(".row").First.GetAttributeAsync("data-id"), Is.EqualTo(newest[0].Id));
        Assert.That(await page.Locator(".row").Nth(49).GetAttributeAsync("data-id"), Is.EqualTo(newest[49].Id));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, "tab-list.png") });
        await page.ClickAsync("#more");
        await Expect(page.Locator(".row")).ToHaveCountAsync(DecisionCount);
        await Expect(page.Locator("#more")).ToBeHiddenAsync();

        await page.Locator("#q input").FillAsync("returns");
        var returns = newest.Where(d => d.Text.Contains("returns", StringComparison.OrdinalIgnoreCase)).ToList();
        await Expect(page.Locator(".row")).ToHaveCountAsync(returns.Count);
        Assert.That(await page.Locator(".row").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)"), Is.EqualTo(returns.Select(d => d.Id).ToArray()));

        await page.SelectOptionAsync("#verdict", "CustomerRisk");
        var risky = returns.Where(d => d.Verdict?.Verdict == Verdict.CustomerRisk).ToList();
        Assert.That(risky, Is.Not.Empty.And.Count.LessThan(returns.Count), "the seed must make the filter narrow the search");
        await Expect(page.Locator(".row")).ToHaveCountAsync(risky.Count);

        var opened = risky[0];
        await page.Locator($".row[data-id='{opened.Id}'] .row-title").ClickAsync();
        await Expect(page.Locator("#detail")).ToBeVisibleAsync();
        await Expect(page.Locator("#detail-body h2")).ToContainTextAsync(opened.Id);
        await Expect(page.Locator("#detail-body")).ToContainTextAsync("Long-term relationship");
        await Expect(page.Locator("#detail-body")).ToContainTextAsync("Adele Vance");
        await Expect(page.Locator("#detail-body")).ToContainTextAsync("Harms");
        await Expect(page.Locator("#detail-body")).ToContainTextAsync("Anonymous concerns");
        await Expect(page.Locator("#detail-body")).ToContainTextAsync("Reverse: complaints doubled");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, "tab-decision.png"), FullPage = true });

        await page.ClickAsync("#back");
        await Expect(page.Locator(".row")).ToHaveCountAsync(risky.Count);
    }

    [Test]
    public async Task CsvExport_OfTheCurrentFilter_ParsesBackToTheSameRows_WithFormulasEscaped()
    {
        var token = TabTestKit.Mint(_entraKey);
        var page = await OpenTabAsync(token, width: 1000);
        await Expect(page.Locator(".row")).ToHaveCountAsync(50);
        await page.SelectOptionAsync("#verdict", "CustomerRisk");
        var expected = await ApiRowsAsync(token, "verdict=CustomerRisk");
        await Expect(page.Locator(".row")).ToHaveCountAsync(expected.Count);

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#export"));
        var bytes = await File.ReadAllBytesAsync((await download.PathAsync())!);

        Assert.That(bytes.Take(3).ToArray(), Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }), "UTF-8 byte-order mark, so Excel reads UTF-8");
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        Assert.That(text, Does.Contain("\r\n"), "RFC 4180 records end with CRLF");
        var records = ReadCsv(bytes);
        Assert.That(records[0], Is.EqualTo(new[] { "Id", "Raised (UTC)", "Decision", "Verdict", "Flags", "Owner", "Review date", "Review overdue", "Outcome", "Outcome assessment", "Raised by", "Status" }));
        var rows = records.Skip(1).ToList();
        Assert.That(rows.Select(r => r[0]), Is.EqualTo(expected.Select(r => r["id"]!.GetValue<string>())));
        for (var i = 0; i < rows.Count; i++)
        {
            var title = expected[i]["title"]!.GetValue<string>();
            var escaped = title[0] is '=' or '+' or '-' or '@' ? "'" + title : title;
            Assert.That(rows[i][2], Is.EqualTo(escaped), $"row {i}");
            Assert.That(rows[i][3], Is.EqualTo(expected[i]["verdictTitle"]!.GetValue<string>()));
            Assert.That(rows[i][4], Is.EqualTo(expected[i]["flags"]!.GetValue<int>().ToString(CultureInfo.InvariantCulture)));
            Assert.That(rows[i][5], Is.EqualTo(expected[i]["owner"]?.GetValue<string>() ?? string.Empty));
        }

        Assert.That(rows.Select(r => r[2]), Has.Some.StartsWith("'=HYPERLINK"), "the seeded formula title is in this filter and is escaped");
        Assert.That(rows.Select(r => r[2]), Has.Some.StartsWith("'@SUM"));
    }

    [Test]
    public async Task OutsiderAndOtherTenant_GetNothingOfTheScope_FromTheApiOrThePage()
    {
        var outsider = TabTestKit.Mint(_entraKey, objectId: TabTestKit.OutsiderId, name: "Olive Outsider");
        // The member's own object id, but a token from another tenant: it reads that tenant's partition, where this chat is unknown.
        var otherTenant = TabTestKit.Mint(_entraKey, tenant: TabTestKit.OtherTenant);
        var someId = _decisions[0].Id;
        var scope = Uri.EscapeDataString(TabTestKit.Scope);

        foreach (var token in new[] { outsider, otherTenant })
        {
            foreach (var path in new[] { $"/api/tab/decisions?scope={scope}", $"/api/tab/decisions.csv?scope={scope}", $"/api/tab/decisions/{someId}?scope={scope}", $"/api/tab/decisions/{someId}?scope=mine" })
            {
                using var response = await GetAsync(token, path);
                var body = await response.Content.ReadAsStringAsync();
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), path);
                Assert.That(body, Does.Not.Contain(someId).And.Not.Contain("returns").And.Not.Contain("pricing"), path);
            }

            // The personal tab shows what they raised, own or answered (as members) in their own tenant: nothing of this chat.
            using var mine = await GetAsync(token, "/api/tab/decisions?scope=mine");
            var theirs = (await mine.Content.ReadFromJsonAsync<JsonObject>())!["decisions"]!.AsArray().Select(r => r!["id"]!.GetValue<string>());
            Assert.That(theirs, Has.None.AnyOf(_decisions.Select(d => d.Id).ToArray()));
        }

        var page = await OpenTabAsync(outsider, width: 1000);
        await Expect(page.Locator("#status")).ToContainTextAsync("Nothing to show here.");
        await Expect(page.Locator(".row")).ToHaveCountAsync(0);
    }

    [Test]
    public async Task Member_SeesTheScope_AndThePersonalTabShowsOnlyTheirOwn()
    {
        using var member = await GetAsync(TabTestKit.Mint(_entraKey), "/api/tab/decisions?scope=" + Uri.EscapeDataString(TabTestKit.Scope));
        Assert.That(member.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        // Adele answered a third of them but is not a member of the chat (the roster): the access rule leaves her personal
        // tab empty; the owner's shows what they own.
        var adele = TabTestKit.Mint(_entraKey, objectId: AdeleId, name: "Adele Vance");
        var owner = TabTestKit.Mint(_entraKey, objectId: OwnerId, name: "Isaiah Langer");
        Assert.That(await ApiRowsAsync(adele, string.Empty, "mine"), Is.Empty);
        var owned = await ApiRowsAsync(owner, string.Empty, "mine");
        Assert.That(owned.Select(r => r["id"]!.GetValue<string>()), Is.EqualTo(_decisions.Where(d => d.Owner?.Id == OwnerId).OrderByDescending(d => d.CreatedAt).Select(d => d.Id)));
    }

    [Test]
    public async Task FollowsTheTheme_AndFitsA320PixelWidePane()
    {
        var light = await OpenTabAsync(TabTestKit.Mint(_entraKey), width: 320);
        await Expect(light.Locator(".row")).ToHaveCountAsync(50);
        var lightBackground = await light.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor");
        Assert.That(await light.EvaluateAsync<int>("document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(320), "no sideways scrolling at 320 px");

        var dark = await OpenTabAsync(TabTestKit.Mint(_entraKey), width: 320, theme: "dark");
        await Expect(dark.Locator(".row")).ToHaveCountAsync(50);
        var darkBackground = await dark.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor");
        Assert.That(await dark.EvaluateAsync<int>("document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(320));
        await dark.Locator(".row-title").First.ClickAsync();
        await Expect(dark.Locator("#detail")).ToBeVisibleAsync();
        Assert.That(await dark.EvaluateAsync<int>("document.documentElement.scrollWidth"), Is.LessThanOrEqualTo(320));
        await dark.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, "tab-decision-dark-320.png") });

        var contrast = await OpenTabAsync(TabTestKit.Mint(_entraKey), width: 320, theme: "contrast");
        await Expect(contrast.Locator(".row")).ToHaveCountAsync(50);
        var contrastBackground = await contrast.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor");

        Assert.That(new[] { lightBackground, darkBackground, contrastBackground }, Is.Unique, "each Teams theme gives the page its own colours");
    }

    private const string AdeleId = "cccccccc-0000-4000-8000-000000000003";
    private const string OwnerId = "dddddddd-0000-4000-8000-000000000004";

    private async Task<IPage> OpenTabAsync(string token, int width, string? theme = null)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = 900 }, AcceptDownloads = true });
        var page = await context.NewPageAsync();
        page.Console += (_, message) => TestContext.Out.WriteLine($"[browser {message.Type}] {message.Text}");
        page.PageError += (_, error) => TestContext.Out.WriteLine($"[page error] {error}");
        // Teams would hand the page this token through authentication.getAuthToken(); outside Teams the test adds it.
        await page.RouteAsync("**/api/tab/**", route =>
        {
            var headers = new Dictionary<string, string>(route.Request.Headers) { ["authorization"] = "Bearer " + token };
            return route.ContinueAsync(new RouteContinueOptions { Headers = headers });
        });
        var query = "scope=" + Uri.EscapeDataString(TabTestKit.Scope) + (theme is null ? string.Empty : "&theme=" + theme);
        await page.GotoAsync($"{_baseUrl}/tab/index.html?{query}");
        return page;
    }

    private async Task<HttpResponseMessage> GetAsync(string token, string path)
    {
        using var client = new HttpClient { BaseAddress = new Uri(_baseUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }

    /// <summary>Every row the list API returns for a filter, following its continuation tokens.</summary>
    private async Task<List<JsonNode>> ApiRowsAsync(string token, string filter, string scope = TabTestKit.Scope)
    {
        var rows = new List<JsonNode>();
        string? continuation = null;
        do
        {
            var path = $"/api/tab/decisions?scope={Uri.EscapeDataString(scope)}&{filter}" + (continuation is null ? string.Empty : "&continuation=" + continuation);
            using var response = await GetAsync(token, path);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
            var page = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            rows.AddRange(page["decisions"]!.AsArray().Select(r => r!));
            continuation = page["continuation"]?.GetValue<string>();
        }
        while (continuation is not null);

        return rows;
    }

    private static List<string[]> ReadCsv(byte[] bytes)
    {
        using var reader = CsvReader.Create(bytes, new CsvReaderOptions { HasHeader = false });
        var records = new List<string[]>();
        while (reader.Read())
        {
            records.Add(Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToArray());
        }

        return records;
    }

    /// <summary>
    /// 62 decisions in the chat, an hour apart: every tenth about returns, a third of them risky, some owned with a
    /// review date, two with formula-looking titles; plus the same chat id in another tenant and another chat of this tenant.
    /// </summary>
    private static async Task<List<Decision>> SeedAsync(DecisionStore store, string serviceUrl)
    {
        var catalog = Catalogs.Default;
        var risk = VerdictRules.Evaluate(catalog, [Answer("x", "relationship", "harms", AdeleId, "Adele Vance")]);
        var safe = VerdictRules.Evaluate(catalog, catalog.Prompts.Select(p => new Answer
        {
            DecisionId = "x", PromptId = p.Id, By = new Person(AdeleId, "Adele Vance"), AnsweredAt = Newest,
            Choices = p.Choices.Count > 0 ? [p.Choices.First(c => c.Flag is null).Value] : [],
            Text = p.IfNoLink is not null ? "https://example.com/returns-survey" : p.Choices.Count > 0 ? null : "Checked with the frontline",
        }).ToList());
        Assert.That((risk.Verdict, safe.Verdict), Is.EqualTo((Verdict.CustomerRisk, Verdict.CustomerSafe)));

        var ids = Ids().Take(DecisionCount + 2).ToList();
        var decisions = new List<Decision>();
        for (var i = 0; i < DecisionCount; i++)
        {
            var text = i switch
            {
                3 => "=HYPERLINK(\"http://evil.example\",\"cut returns\")",
                12 => "@SUM(1+1) returns shortcut",
                _ when i % 5 == 0 => $"Cut the returns window for segment {i}",
                _ => $"Change the pricing tier for plan {i}",
            };
            decisions.Add(TabTestKit.Decision(ids[i], Newest.AddHours(-i), text, serviceUrl: serviceUrl) with
            {
                Status = i % 3 == 2 ? DecisionStatus.Open : DecisionStatus.Completed,
                Verdict = i % 3 == 0 ? risk : i % 3 == 1 ? safe : null,
                Owner = i % 4 == 0 ? new Person(OwnerId, "Isaiah Langer") : null,
                ReviewDate = i % 4 == 0 ? new DateOnly(2026, 1, 15) : null,
                Outcome = i == 0 ? "complaints doubled" : null,
                OutcomeAssessment = i == 0 ? OutcomeAssessment.Reverse : null,
            });
        }

        await store.ImportAsync(decisions, CancellationToken.None);
        await store.ImportAsync([TabTestKit.Decision(ids[DecisionCount], Newest, "Close the Leeds store returns desk", tenant: TabTestKit.OtherTenant)], CancellationToken.None);
        await store.ImportAsync([TabTestKit.Decision(ids[DecisionCount + 1], Newest, "Another chat's returns decision", scope: "chat:19:other@thread.v2")], CancellationToken.None);
        foreach (var d in decisions.Where(d => d.Verdict == risk))
        {
            var stored = await store.GetAsync(TabTestKit.Tenant, d.Id, CancellationToken.None);
            Assert.That(await store.TrySaveAnswersAsync(stored!, [Answer(d.Id, "relationship", "harms", AdeleId, "Adele Vance")], null, null, Newest, CancellationToken.None), Is.Not.Null);
        }

        return decisions;
    }

    private static Answer Answer(string decisionId, string promptId, string choice, string personId, string name) => new()
    {
        DecisionId = decisionId, PromptId = promptId, By = new Person(personId, name), Choices = [choice], AnsweredAt = Newest,
    };

    private static IEnumerable<string> Ids()
    {
        const string alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
        for (var i = 0; ; i++)
        {
            yield return "D-" + string.Concat(new[] { i / 29791 % 31, i / 961 % 31, i / 31 % 31, i % 31 }.Select(k => alphabet[k]));
        }
    }
}
