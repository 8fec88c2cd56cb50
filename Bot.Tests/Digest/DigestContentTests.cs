using System.Text.Json.Nodes;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Digest;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CustomerAdvocateBot.Tests.Digest;

/// <summary>What the scheduled digest says, from decisions seeded in the store for two tenants with the same team id.</summary>
public sealed class DigestContentTests
{
    private const string Team = "19:team-1@thread.tacv2";
    private const string Scope = "team:" + Team;
    private static readonly DateTimeOffset Run = new(2025, 3, 31, 7, 0, 0, TimeSpan.Zero);

    private static readonly (string Prompt, string Choice)[] SafeAnswers =
    [
        ("relationship", "helps"), ("incentives", "aligned"), ("moments", "buy"), ("evidence", "customer-feedback"),
        ("frontline", "helps"), ("pilot", "yes"), ("customer-in-room", "yes"),
    ];

    [Test]
    public async Task WeeklyDigest_CountsFlagsReviewsAndTrend_ForTheSubscriptionsTenantOnly()
    {
        var time = new FakeTimeProvider(DigestTestKit.Start);
        await using var connector = await RecordingConnector.StartAsync();
        await using var app = DigestTestKit.App(time);
        var store = app.Services.GetRequiredService<DecisionStore>();
        var catalog = app.Services.GetRequiredService<PromptCatalog>();

        async Task<Decision> Seed(string tenant, string text, DateTimeOffset at, (string Prompt, string Choice)[]? answers, Func<Decision, Decision>? then = null)
        {
            var created = (await store.CreateAsync(new Decision
            {
                TenantId = tenant, Id = DecisionIds.NewId(), Scope = Scope, ConversationId = Team, ConversationType = "Channel",
                Text = text, RaisedBy = new Person("aad-avery", "Avery Lee", "29:avery"), CreatedAt = at,
            }, null, CancellationToken.None))!;
            if (answers is null)
            {
                return created;
            }

            // Evidence answers carry a link, as the evidence gate asks (docs/verdict.md).
            var given = answers.Select(a => new Answer
            {
                DecisionId = created.Id, PromptId = a.Prompt, By = created.RaisedBy, Choices = [a.Choice], AnsweredAt = at,
                Text = a.Prompt == "evidence" ? "https://contoso.example/returns-survey" : null,
            }).ToList();
            Assert.That(await store.TrySaveAnswersAsync(created, given, null, null, at, CancellationToken.None), Is.Not.Null);
            return (await store.UpdateAsync(tenant, created.Id, d => (then ?? (x => x))(d with
            {
                Status = DecisionStatus.Completed, Verdict = VerdictRules.Evaluate(catalog, given), CompletedAt = at, CompletedBy = d.RaisedBy,
                Owner = d.RaisedBy, ReviewDate = DateOnly.FromDateTime(at.UtcDateTime).AddDays(90),
            }), CancellationToken.None))!;
        }

        static (string, string)[] With(params (string Prompt, string Choice)[] changes) =>
            SafeAnswers.Select(a => changes.FirstOrDefault(c => c.Prompt == a.Prompt) is { Prompt: not null } c ? c : a).ToArray();

        var risk = await Seed("tenant-a", "Cut the returns window to 14 days", Run.AddDays(-2), With(("relationship", "harms"), ("evidence", "none")));
        var safe = await Seed("tenant-a", "Open support on Sundays", Run.AddDays(-3), SafeAnswers);
        var noPilot = await Seed("tenant-a", "Roll out the new checkout everywhere", Run.AddDays(-4), With(("pilot", "no")));
        var open = await Seed("tenant-a", "Charge for gift wrapping", Run.AddDays(-1), null);
        await Seed("tenant-a", "Last week one", Run.AddDays(-8), SafeAnswers);
        await Seed("tenant-a", "Last week two", Run.AddDays(-13), SafeAnswers);
        var old = await Seed("tenant-a", "Three weeks ago", Run.AddDays(-21), SafeAnswers);
        var reviewed = await Seed("tenant-a", "Stop printed catalogues", Run.AddDays(-100), SafeAnswers, d => d with
        {
            ReviewDate = DateOnly.FromDateTime(Run.UtcDateTime).AddDays(-3),
            Outcome = "Complaints up 12% among older customers", OutcomeAssessment = OutcomeAssessment.Adjust, OutcomeAt = Run.AddDays(-2),
        });
        for (var i = 0; i < 5; i++)
        {
            await Seed("tenant-b", $"OTHER TENANT decision {i}", Run.AddDays(-2), With(("relationship", "harms")));
        }

        await app.SayAsync(connector, DigestTestKit.Channel(connector.ServiceUrl).Message("digest here").InTeam());
        await app.RunJobsAtAsync(time, Run, DigestJobs.Kind);

        var card = connector.DigestPosts()[0].Card!;
        CardSchema.AssertValid(card, "(weekly digest)");
        var json = card.Readable();
        Assert.Multiple(() =>
        {
            Assert.That(json, Does.Contain("Week of 24 Mar – 31 Mar 2025").And.Contain("Customer digest · Leadership"));
            Assert.That(Facts(card), Is.EquivalentTo(new Dictionary<string, string>
            {
                ["Checked"] = "4 (up 2 from 2 the week before)", ["Customer-safe"] = "1", ["Needs work"] = "1", ["Customer risk"] = "1", ["Unfinished"] = "1",
            }));
            Assert.That(Section(card, "Customer risk (1)"), Does.Contain(risk.Id).And.Contain("Harms loyalty, repeat purchase or lifetime value"));
            Assert.That(Section(card, "Taken without customer evidence or a pilot (2)"), Does.Contain(risk.Id + "** Cut the returns").And.Contain("no customer evidence").And.Contain(noPilot.Id).And.Contain("no pilot"));
            Assert.That(Section(card, "Checks left unfinished (1)"), Does.Contain(open.Id));
            Assert.That(Section(card, "Reviews due (1)"), Does.Contain(reviewed.Id).And.Contain("Adjust: Complaints up 12% among older customers"));
            Assert.That(Section(card, "Every decision this week (4)"), Does.Contain($"**{safe.Id}** Open support on Sundays · Customer-safe").And.Contain(open.Id + "** Charge for gift wrapping · Check open"), "every decision of the week shows its id");
            Assert.That(json, Does.Not.Contain("OTHER TENANT").And.Not.Contain(old.Id).And.Not.Contain("Last week one"));
            Assert.That(json, Does.Contain("4 decisions went through the customer check this week, up from 2 the week before."), "the narrative");
        });
    }

    private static Dictionary<string, string> Facts(JsonObject card) =>
        card["body"]!.AsArray().OfType<JsonObject>().Single(e => (string?)e["type"] == "FactSet")["facts"]!.AsArray()
            .ToDictionary(f => f!["title"]!.GetValue<string>(), f => f!["value"]!.GetValue<string>());

    private static string Section(JsonObject card, string title) =>
        card["body"]!.AsArray().OfType<JsonObject>().SingleOrDefault(e => e["items"]?[0]?["text"]?.GetValue<string>() == title)?.Readable()
        ?? throw new AssertionException($"no section '{title}' in {card.Readable()}");
}

/// <summary>The digest card on its own: huge weeks still fit Teams' limit and the schema.</summary>
public sealed class DigestCardTests
{
    [Test]
    public void BusyWeekWithLongTexts_StaysValidAndUnder28KB()
    {
        var now = new DateTimeOffset(2025, 3, 31, 7, 0, 0, TimeSpan.Zero);
        var flags = new[] { new RaisedFlag("relationship", FlagSeverity.Risk, new string('r', 200), null), new RaisedFlag("evidence", FlagSeverity.NeedsWork, "No evidence", null) };
        var week = Enumerable.Range(0, 300).Select(i => new Decision
        {
            TenantId = "t", Id = $"D-{i:0000}", Scope = "team:x", ConversationId = "c", ConversationType = "Channel",
            Text = $"[link](http://x) *{i}* " + new string('w', 1000), RaisedBy = new Person("p", "<at>Someone</at>"), CreatedAt = now.AddHours(-i / 2.0),
            Status = i % 3 == 0 ? DecisionStatus.Open : DecisionStatus.Completed,
            Verdict = i % 3 == 0 ? null : new VerdictResult(Verdict.CustomerRisk, flags, ["pilot"]),
        }).ToList();
        var content = new CustomerAdvocateBot.Digest.DigestContent("Team *bold*", now.AddDays(-7), now, week, week.Take(10).ToList(), week.Take(40).ToList(), new string('n', 800));

        var card = DigestCard.Build(content);

        CardSchema.AssertValid(card, "(300 decisions)");
        Assert.That(card.Readable(), Does.Contain("and ").And.Contain("more (list shows them all)").And.Contain("\\\\[link\\\\]"));
    }
}
