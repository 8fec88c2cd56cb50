using Azure;
using Azure.Data.Tables;
using CustomerAdvocateBot.Common.Jobs;
using CustomerAdvocateBot.Common.Storage;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Digest;
using CustomerAdvocateBot.Tests.TestSupport;
using CustomerAdvocateBot.Tests.TestSupport.Fakes;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.Tests.Decisions;

/// <summary>Which implementation a contract fixture runs against.</summary>
public enum StoreKind
{
    /// <summary>The unit layer's in-memory fakes (Bot.Tests/TestSupport/Fakes).</summary>
    InMemory,

    /// <summary>The Table Storage stores the app uses, on Azurite.</summary>
    Azurite,
}

/// <summary>
/// The semantics the domain relies on (decisions and answers, dialog state, conversation references), asserted once and run
/// against both the in-memory fakes and the Table Storage stores on Azurite, so the fake the unit tests use cannot drift from the real one. A change of either that breaks a
/// promise here fails the fixture of that implementation.
/// </summary>
[TestFixture(StoreKind.InMemory, Category = "Unit")]
[TestFixture(StoreKind.Azurite)]
public sealed class StoreContractTests(StoreKind kind)
{
    private const string Tenant = "tenant-contract";
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private IDecisionStore _store = null!;
    private IDialogStateStore _dialogs = null!;
    private IConversationReferenceStore _references = null!;
    private ISignalIndexStore _signals = null!;
    private IDigestSubscriptionStore _digests = null!;
    private string _scope = null!;

    [OneTimeSetUp]
    public async Task CreateStores()
    {
        if (kind == StoreKind.InMemory)
        {
            _store = new InMemoryDecisionStore();
            _dialogs = new InMemoryDialogStateStore();
            _references = new InMemoryConversationReferenceStore();
            _signals = new InMemorySignalIndexStore();
            _digests = new InMemoryDigestSubscriptionStore();
            return;
        }

        var tables = new StorageTables(new TableServiceClient(TestEnvironment.StorageConnectionString), Options.Create(new StorageOptions { TablePrefix = TestEnvironment.UniqueTablePrefix() }));
        await tables.CreateAllAsync(CancellationToken.None);
        _store = new DecisionStore(tables);
        _dialogs = new DialogStateStore(tables);
        _references = new ConversationReferenceStore(tables);
        _signals = new SignalIndexStore(tables);
        _digests = new DigestSubscriptionStore(tables);
    }

    // Each test gets a scope of its own, so one store serves the fixture.
    [SetUp]
    public void NewScope() => _scope = "chat:19:" + Guid.NewGuid().ToString("N") + "@thread.v2";

    [Test]
    public async Task Create_ThenRead_GivesTheDecisionWithAnETag_AndNoAnswers()
    {
        var created = await CreateAsync("cut the returns window");

        var (read, answers) = await _store.ReadAsync(Tenant, created.Id, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(created.ETag, Is.Not.Null.And.Not.Empty);
            Assert.That(read!.Text, Is.EqualTo("cut the returns window"));
            Assert.That(read.RaisedBy, Is.EqualTo(new Person("aad-avery", "Avery", "29:avery")));
            Assert.That(read.ETag, Is.EqualTo(created.ETag));
            Assert.That(answers, Is.Empty);
        });
    }

    [Test]
    public async Task Create_TheSameDeliveryTwice_CreatesNothingTheSecondTime()
    {
        var delivery = "act-" + Guid.NewGuid().ToString("N");
        var first = await _store.CreateAsync(NewDecision("a"), delivery, CancellationToken.None);
        var second = await _store.CreateAsync(NewDecision("a"), delivery, CancellationToken.None);

        Assert.That((first is null, second is null), Is.EqualTo((false, true)));
        Assert.That(await _store.ListAsync(Tenant, _scope, 0, 10, CancellationToken.None), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Create_WithATakenId_DrawsAnother()
    {
        var first = await CreateAsync("first");
        var second = (await _store.CreateAsync(NewDecision("second") with { Id = first.Id }, null, CancellationToken.None))!;

        Assert.That(second.Id, Is.Not.EqualTo(first.Id));
        Assert.That((await _store.GetAsync(Tenant, first.Id, CancellationToken.None))!.Text, Is.EqualTo("first"), "the first is untouched");
    }

    [Test]
    public async Task Delete_RemovesTheDecisionAndItsDeliveryMarker_SoTheDeliveryCanCreateAgain()
    {
        var delivery = "act-" + Guid.NewGuid().ToString("N");
        var created = (await _store.CreateAsync(NewDecision("a"), delivery, CancellationToken.None))!;

        await _store.DeleteAsync(created, delivery, CancellationToken.None);

        Assert.That(await _store.GetAsync(Tenant, created.Id, CancellationToken.None), Is.Null);
        Assert.That(await _store.CreateAsync(NewDecision("a"), delivery, CancellationToken.None), Is.Not.Null);
    }

    [Test]
    public async Task Update_WhenSomeoneWritesBetweenReadAndWrite_ReadsAgainAndKeepsBothChanges()
    {
        var created = await CreateAsync("a");
        var runs = 0;

        var updated = await _store.UpdateAsync(Tenant, created.Id, d =>
        {
            if (++runs == 1)
            {
                // Another writer gets in after this read: the conditional write must fail and the change run again.
                _store.UpdateAsync(Tenant, created.Id, other => other with { Outcome = "complaints fell" }, CancellationToken.None).GetAwaiter().GetResult();
            }

            return d with { OutcomeMetric = "returns -4%" };
        }, CancellationToken.None);

        var stored = (await _store.GetAsync(Tenant, created.Id, CancellationToken.None))!;
        Assert.Multiple(() =>
        {
            Assert.That(runs, Is.EqualTo(2), "the change ran again on the newer version");
            Assert.That((stored.Outcome, stored.OutcomeMetric), Is.EqualTo(("complaints fell", "returns -4%")));
            Assert.That(updated!.ETag, Is.EqualTo(stored.ETag).And.Not.EqualTo(created.ETag));
        });
    }

    [Test]
    public async Task TryReplace_OfAStaleVersion_StoresNothing_OfTheCurrentOne_StoresItWithANewETag()
    {
        var created = await CreateAsync("a");
        var newer = (await _store.TryReplaceAsync(created, created with { Outcome = "first" }, null, Start, CancellationToken.None))!;

        var stale = await _store.TryReplaceAsync(created, created with { Outcome = "from a stale read" }, null, Start, CancellationToken.None);
        var missing = await _store.TryReplaceAsync(created with { Id = "D-ZZZZ" }, created with { Id = "D-ZZZZ" }, null, Start, CancellationToken.None);

        Assert.That(stale, Is.Null);
        Assert.That(missing, Is.Null, "a decision that is not there is not created");
        Assert.That(newer.ETag, Is.Not.EqualTo(created.ETag));
        Assert.That((await _store.GetAsync(Tenant, created.Id, CancellationToken.None))!.Outcome, Is.EqualTo("first"));
    }

    [Test]
    public async Task Update_ThatChangesNothing_LeavesTheETag_AndAMissingDecisionIsNull()
    {
        var created = await CreateAsync("a");

        var unchanged = await _store.UpdateAsync(Tenant, created.Id, _ => null, CancellationToken.None);
        var missing = await _store.UpdateAsync(Tenant, "D-ZZZZ", d => d with { Outcome = "x" }, CancellationToken.None);

        Assert.That(unchanged!.ETag, Is.EqualTo(created.ETag));
        Assert.That(missing, Is.Null);
    }

    [Test]
    public async Task RecordCard_WithAnOutdatedETag_AppliesTheCardIdToTheNewerVersion()
    {
        var created = await CreateAsync("a");
        await _store.UpdateAsync(Tenant, created.Id, d => d with { Outcome = "written in between" }, CancellationToken.None);

        var recorded = await _store.RecordCardAsync(created, "card-1", CancellationToken.None);

        var stored = (await _store.GetAsync(Tenant, created.Id, CancellationToken.None))!;
        Assert.That((stored.CardActivityId, stored.Outcome), Is.EqualTo(("card-1", "written in between")));
        Assert.That(recorded!.ETag, Is.EqualTo(stored.ETag));
    }

    [Test]
    public async Task Answers_ALaterAnswerToThePromptReplacesTheEarlier_OthersStay_OldestFirst()
    {
        var created = await CreateAsync("a");
        await SaveAsync(created.Id, [AnswerBy("29:sam", "harms", Start.AddMinutes(1)), AnswerBy("29:avery", "helps", Start.AddMinutes(2))]);

        await SaveAsync(created.Id, [AnswerBy("29:sam", "neutral", Start.AddMinutes(3))]);

        var answers = await _store.GetAnswersAsync(Tenant, created.Id, CancellationToken.None);
        Assert.That(answers.Select(a => (a.By.Id, a.Choices.Single())), Is.EqualTo(new[] { ("29:avery", "helps"), ("29:sam", "neutral") }));

        Answer AnswerBy(string person, string choice, DateTimeOffset at) =>
            new() { DecisionId = created.Id, PromptId = "relationship", By = new Person(person, person), Choices = [choice], Text = "because", AnsweredAt = at };
    }

    [Test]
    public async Task Answers_SavedAgainstTheVersionRead_MoveItsETag_SoAStaleSaveStoresNothing()
    {
        var created = await CreateAsync("a");

        var saved = await _store.TrySaveAnswersAsync(created, [NewAnswer(created.Id, "harms", "29:sam")], null, null, Start, CancellationToken.None);
        var stale = await _store.TrySaveAnswersAsync(created, [NewAnswer(created.Id, "relationship", "29:avery")], null, null, Start, CancellationToken.None);

        var (stored, answers) = await _store.ReadAsync(Tenant, created.Id, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(saved!.ETag, Is.Not.EqualTo(created.ETag).And.EqualTo(stored!.ETag), "a save touches the decision");
            Assert.That((stored.Text, stored.Status), Is.EqualTo(("a", DecisionStatus.Open)), "and changes nothing in it");
            Assert.That(stale, Is.Null);
            Assert.That(answers.Select(a => a.By.Id), Is.EqualTo(new[] { "29:sam" }), "the stale save stored nothing");
        });
    }

    [Test]
    public async Task Answers_SavedWithAChangedDecision_StoreBoth()
    {
        var created = await CreateAsync("a");

        var saved = await _store.TrySaveAnswersAsync(created, [NewAnswer(created.Id, "harms", "29:sam")], created with { Outcome = "recomputed" }, PostedCardUpdates.Request(Tenant, created.Id), Start, CancellationToken.None);

        var (stored, answers) = await _store.ReadAsync(Tenant, created.Id, CancellationToken.None);
        Assert.That((saved!.Outcome, stored!.Outcome, stored.ETag), Is.EqualTo(("recomputed", "recomputed", saved.ETag)));
        Assert.That(answers, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Answers_ABatchThatCannotBeStored_StoresNothing()
    {
        var created = await CreateAsync("a");
        var twice = new[] { NewAnswer(created.Id, "harms", "29:sam"), NewAnswer(created.Id, "relationship", "29:sam"), NewAnswer(created.Id, "harms", "29:sam") };
        var justFits = Enumerable.Range(0, 97).Select(i => NewAnswer(created.Id, "p" + i, "29:sam")).ToList();
        var oneTooMany = Enumerable.Range(0, 97).Select(i => NewAnswer(created.Id, "p" + i, "29:avery")).ToList();
        var job = PostedCardUpdates.Request(Tenant, created.Id);

        Assert.Multiple(() =>
        {
            Assert.That(() => _store.TrySaveAnswersAsync(created, twice, null, null, Start, CancellationToken.None), Throws.InstanceOf<RequestFailedException>());
            Assert.That(() => _store.TrySaveAnswersAsync(created, oneTooMany, created, job, Start, CancellationToken.None), Throws.ArgumentException, "two decision rows, 97 answers, the answerer's index row and a job make 101");
        });
        Assert.That(await _store.GetAnswersAsync(Tenant, created.Id, CancellationToken.None), Is.Empty);
        Assert.That(await _store.TrySaveAnswersAsync(created, justFits, null, job, Start, CancellationToken.None), Is.Not.Null, "a touch, 97 answers, the answerer's index row and a job make 100");
    }

    [Test]
    public async Task Timeline_NewestFirst_PagedBySkipAndTake_AndOnlyThisScope()
    {
        var ids = await SeedDaysAsync(5);
        await _store.ImportAsync([NewDecision("elsewhere") with { Id = DecisionIds.NewId(), Scope = "team:19:other", CreatedAt = Start.AddDays(10) }], CancellationToken.None);

        var firstTwo = await _store.ListAsync(Tenant, _scope, 0, 2, CancellationToken.None);
        var rest = await _store.ListAsync(Tenant, _scope, 2, 10, CancellationToken.None);
        var all = await ToListAsync(_store.ReadScopeAsync(Tenant, _scope, CancellationToken.None));

        var newestFirst = ids.AsEnumerable().Reverse().ToList();
        Assert.That(firstTwo.Concat(rest).Select(d => d.Id), Is.EqualTo(newestFirst));
        Assert.That(all.Select(d => d.Id), Is.EqualTo(newestFirst));
    }

    [Test]
    public async Task Period_IsCreatedFromUpToButExcludingTo_SoABoundaryDecisionBelongsToOnePeriod()
    {
        // Decisions at Start + 0..4 days: one created exactly at a period's start is in that period and not the one before.
        var ids = await SeedDaysAsync(5);

        var period = await ToListAsync(_store.ReadPeriodAsync(Tenant, _scope, Start.AddDays(1), Start.AddDays(3), CancellationToken.None));
        var page = await _store.ReadTimelinePageAsync(Tenant, _scope, Start.AddDays(1), Start.AddDays(3), null, 10, CancellationToken.None);
        var before = await ToListAsync(_store.ReadPeriodAsync(Tenant, _scope, Start, Start.AddDays(1), CancellationToken.None));
        var oneTickWide = await ToListAsync(_store.ReadPeriodAsync(Tenant, _scope, Start.AddDays(3), Start.AddDays(3).AddTicks(1), CancellationToken.None));

        Assert.That(period.Select(d => d.Id), Is.EqualTo(new[] { ids[2], ids[1] }));
        Assert.That(page.Decisions.Select(d => d.Id), Is.EqualTo(new[] { ids[2], ids[1] }));
        Assert.That(before.Select(d => d.Id), Is.EqualTo(new[] { ids[0] }));
        Assert.That(oneTickWide.Select(d => d.Id), Is.EqualTo(new[] { ids[3] }));
    }

    [Test]
    public async Task TimelinePages_ContinueWhereTheLastEnded_UntilNoToken()
    {
        var ids = await SeedDaysAsync(5);
        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await _store.ReadTimelinePageAsync(Tenant, _scope, null, null, token, 2, CancellationToken.None);
            seen.AddRange(page.Decisions.Select(d => d.Id));
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.That(seen, Is.EqualTo(ids.AsEnumerable().Reverse()));
    }

    [Test]
    public async Task RaisedOrOwned_FindsTheirDecisionsInThisTenantOnly()
    {
        var person = "aad-" + Guid.NewGuid().ToString("N");
        var raised = NewDecision("raised") with { Id = DecisionIds.NewId(), RaisedBy = new Person(person, "Pat") };
        var owned = NewDecision("owned") with { Id = DecisionIds.NewId(), Owner = new Person(person, "Pat") };
        var neither = NewDecision("neither") with { Id = DecisionIds.NewId() };
        var otherTenant = raised with { TenantId = "tenant-other", Id = DecisionIds.NewId() };
        await _store.ImportAsync([raised, owned, neither], CancellationToken.None);
        await _store.ImportAsync([otherTenant], CancellationToken.None);

        var page = await _store.ReadRaisedOrOwnedPageAsync(Tenant, person, null, 10, CancellationToken.None);

        Assert.That(page.Decisions.Select(d => d.Id), Is.EquivalentTo(new[] { raised.Id, owned.Id }));
        Assert.That(page.Decisions.Select(d => d.Id), Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
    }

    [Test]
    public async Task DialogState_IsSavedReplacedAndForgotten_ForgettingTwiceIsFine()
    {
        var conversation = "a:" + Guid.NewGuid().ToString("N");
        await _dialogs.SaveAsync(Tenant, conversation, new DialogState("D-AAAA", 0), CancellationToken.None);
        await _dialogs.SaveAsync(Tenant, conversation, new DialogState("D-AAAA", 3), CancellationToken.None);
        var saved = await _dialogs.GetAsync(Tenant, conversation, CancellationToken.None);
        var otherTenant = await _dialogs.GetAsync("tenant-other", conversation, CancellationToken.None);

        await _dialogs.DeleteAsync(Tenant, conversation, CancellationToken.None);
        await _dialogs.DeleteAsync(Tenant, conversation, CancellationToken.None);

        Assert.That(saved, Is.EqualTo(new DialogState("D-AAAA", 3)));
        Assert.That(otherTenant, Is.Null);
        Assert.That(await _dialogs.GetAsync(Tenant, conversation, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task ConversationReference_IsSavedReplacedAndForgotten_PerTenant()
    {
        // A channel thread's id carries characters Table Storage keys may not (';', '/', '#', '?'): they are escaped, not lost.
        var conversation = "19:" + Guid.NewGuid().ToString("N") + ";messageid=1/2#3?x@thread.tacv2";
        await _references.SaveAsync(Stored(conversation, "https://smba.example/amer/", "General"), CancellationToken.None);
        await _references.SaveAsync(Stored(conversation, "https://smba.example/emea/", "Renamed"), CancellationToken.None);
        var saved = await _references.GetAsync(Tenant, conversation, CancellationToken.None);
        var otherTenant = await _references.GetAsync("tenant-other", conversation, CancellationToken.None);

        await _references.DeleteAsync(Tenant, conversation, CancellationToken.None);
        await _references.DeleteAsync(Tenant, conversation, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(saved!.Reference.ServiceUrl, Is.EqualTo("https://smba.example/emea/"));
            Assert.That(saved.Reference.Conversation.Id, Is.EqualTo(conversation));
            Assert.That((saved.ConversationType, saved.TeamId, saved.TeamName, saved.TeamsChannelId), Is.EqualTo(("Channel", "19:team@thread.tacv2", "Renamed", "19:channel@thread.tacv2")));
            Assert.That(otherTenant, Is.Null);
        });
        Assert.That(await _references.GetAsync(Tenant, conversation, CancellationToken.None), Is.Null);

        static StoredConversation Stored(string conversationId, string serviceUrl, string teamName) => new(
            Tenant,
            new CustomerAdvocateBot.BotFramework.Schema.ConversationReference
            {
                Conversation = new CustomerAdvocateBot.BotFramework.Schema.ConversationAccount { Id = conversationId, TenantId = Tenant, ConversationType = "channel" },
                ChannelId = "msteams",
                ServiceUrl = serviceUrl,
                Bot = new CustomerAdvocateBot.BotFramework.Schema.ChannelAccount { Id = "28:bot" },
            },
            "Channel",
            "19:team@thread.tacv2",
            teamName,
            "19:channel@thread.tacv2");
    }

    [Test]
    public async Task Signals_DebtAndCalibration_FollowTheDecision_WithTheRangesEdges()
    {
        var risk = new VerdictResult(Verdict.CustomerRisk, [new RaisedFlag("relationship", FlagSeverity.Risk, "Harms loyalty", null)], []);
        var open = NewDecision("open debt") with { Id = DecisionIds.NewId(), Status = DecisionStatus.Completed, Verdict = risk, CompletedAt = Start, ReviewDate = new DateOnly(2026, 3, 12) };
        var reported = NewDecision("reported") with
        {
            Id = DecisionIds.NewId(), Status = DecisionStatus.Completed, Verdict = risk, CompletedAt = Start, ReviewDate = new DateOnly(2026, 3, 5),
            OutcomeAt = Start.AddDays(5), OutcomeEffect = CustomerEffect.Worse,
        };
        await _signals.SyncAsync(null, open, CancellationToken.None);
        await _signals.SyncAsync(null, reported, CancellationToken.None);
        await _signals.SyncAsync(reported, reported with { OutcomeEffect = CustomerEffect.Better }, CancellationToken.None);

        var paidFromTheMoment = await _signals.ReadDebtAsync(Tenant, _scope, Start.AddDays(5), CancellationToken.None);
        var paidAfter = await _signals.ReadDebtAsync(Tenant, _scope, Start.AddDays(5).AddMilliseconds(1), CancellationToken.None);
        var calibration = await _signals.ReadCalibrationAsync(Tenant, _scope, Start.AddDays(5), Start.AddDays(6), CancellationToken.None);
        var before = await _signals.ReadCalibrationAsync(Tenant, _scope, Start, Start.AddDays(5), CancellationToken.None);

        var overdueFrom = new DateTimeOffset(2026, 3, 13, 0, 0, 0, TimeSpan.Zero);
        Assert.Multiple(() =>
        {
            Assert.That(paidFromTheMoment, Is.EquivalentTo(new[]
            {
                new DebtItem(open.Id, DebtKind.HarmFlag, Start, null),
                new DebtItem(open.Id, DebtKind.ReviewOverdue, overdueFrom, null),
                new DebtItem(reported.Id, DebtKind.HarmFlag, Start, Start.AddDays(5)),
                new DebtItem(reported.Id, DebtKind.ReviewOverdue, new DateTimeOffset(2026, 3, 6, 0, 0, 0, TimeSpan.Zero), Start.AddDays(5)),
            }));
            Assert.That(paidAfter.Select(d => d.DecisionId), Is.EqualTo(new[] { open.Id, open.Id }));
            Assert.That(calibration, Is.EqualTo(new[] { new CalibrationEntry(reported.Id, Verdict.CustomerRisk, CustomerEffect.Better, Start.AddDays(5)) }), "the synced change replaced the entry");
            Assert.That(before, Is.Empty, "a period ends before its end");
        });
    }

    [Test]
    public async Task DigestSubscription_IsReplacedPerScope_WithItsJob_AndRemovedOnce()
    {
        var tenant = "tenant-" + Guid.NewGuid().ToString("N");
        var job = await _digests.SaveAsync(Subscription(tenant, _scope, Start.AddDays(1), "0 9 * * 1"), Start, CancellationToken.None);
        await _digests.SaveAsync(Subscription(tenant, _scope, Start.AddDays(2), "0 9 * * 5"), Start, CancellationToken.None);
        await _digests.SaveAsync(Subscription(tenant, "team:19:later", Start.AddDays(9), "0 9 * * 5"), Start, CancellationToken.None);
        var read = (await _digests.GetAsync(tenant, _scope, CancellationToken.None))!;

        var listed = (await _digests.ListAsync(CancellationToken.None)).Where(s => s.TenantId == tenant).Select(s => s.Scope).Order(StringComparer.Ordinal).ToList();
        var removed = await _digests.DeleteAsync(tenant, _scope, CancellationToken.None);
        var removedAgain = await _digests.DeleteAsync(tenant, _scope, CancellationToken.None);
        var neverThere = await _digests.DeleteAsync(tenant, "team:19:never", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(job, Is.EqualTo(DigestJobs.Location(tenant, _scope)), "the job sits beside the subscription");
            Assert.That((read.Cron, read.NextRunAt), Is.EqualTo(("0 9 * * 5", Start.AddDays(2))), "the second save replaced the first");
            Assert.That(read.ETag, Is.Not.Null);
            Assert.That(listed, Is.EqualTo(new[] { _scope, "team:19:later" }.Order(StringComparer.Ordinal)), "subscriptions only, not their job rows");
            Assert.That((removed, removedAgain, neverThere), Is.EqualTo((true, false, false)), "digest off where there is none says so");
        });

        static DigestSubscription Subscription(string tenant, string scope, DateTimeOffset next, string cron) =>
            new(tenant, scope, "Returns team", "19:returns@thread.tacv2", cron, "Europe/London", next, "aad-avery", "Avery", Start);
    }

    private async Task SaveAsync(string decisionId, IReadOnlyList<Answer> answers)
    {
        var read = (await _store.GetAsync(Tenant, decisionId, CancellationToken.None))!;
        Assert.That(await _store.TrySaveAnswersAsync(read, answers, null, null, Start, CancellationToken.None), Is.Not.Null);
    }

    private async Task<Decision> CreateAsync(string text) => (await _store.CreateAsync(NewDecision(text), null, CancellationToken.None))!;

    /// <summary>One decision a day from <see cref="Start"/>, oldest first; returns their ids in that order.</summary>
    private async Task<List<string>> SeedDaysAsync(int days)
    {
        var decisions = Enumerable.Range(0, days).Select(i => NewDecision($"day {i}") with { Id = DecisionIds.NewId(), CreatedAt = Start.AddDays(i) }).ToList();
        await _store.ImportAsync(decisions, CancellationToken.None);
        return decisions.Select(d => d.Id).ToList();
    }

    private Decision NewDecision(string text) => new()
    {
        TenantId = Tenant,
        Id = DecisionIds.NewId(),
        Scope = _scope,
        ConversationId = _scope["chat:".Length..],
        ConversationType = "GroupChat",
        Text = text,
        RaisedBy = new Person("aad-avery", "Avery", "29:avery"),
        CreatedAt = Start,
    };

    private static Answer NewAnswer(string decisionId, string promptId, string person) =>
        new() { DecisionId = decisionId, PromptId = promptId, By = new Person(person, person), Choices = ["harms"], AnsweredAt = Start };

    private static async Task<List<Decision>> ToListAsync(IAsyncEnumerable<Decision> decisions)
    {
        var list = new List<Decision>();
        await foreach (var decision in decisions)
        {
            list.Add(decision);
        }

        return list;
    }
}
