using Azure.Data.Tables;
using CustomerAdvocateBot.Decisions;
using CustomerAdvocateBot.Common.Storage;
using CustomerAdvocateBot.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerAdvocateBot.Tests.Decisions;

/// <summary>
/// Answers moved under their decision's key (one range read returns both). Decisions stored before the move keep
/// their older answer rows, which are still read, and a person's newer answer to the same prompt wins.
/// </summary>
public sealed class DecisionStoreAnswerLayoutTests
{
    [Test]
    public async Task A_decision_stored_before_the_move_still_shows_its_older_answers_and_the_newer_answer_wins()
    {
        await using var app = new BotApp();
        var store = app.Services.GetRequiredService<DecisionStore>();
        var table = app.Services.GetRequiredService<StorageTables>().Get(StorageTables.Decisions);
        await table.CreateIfNotExistsAsync();
        var now = DateTimeOffset.UtcNow;
        var decision = (await store.CreateAsync(NewDecision(now), activityId: null, CancellationToken.None))!;

        // As the earlier version stored it: no layout flag on the decision, answers at A|{id}|{prompt}|{person}.
        var row = (await table.GetEntityAsync<TableEntity>("tenant-layout", $"D|{decision.Id}")).Value;
        row.Remove("AnswersUnderDecision");
        await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);
        await table.AddEntityAsync(LegacyAnswer(decision.Id, "29:avery", "harms", now.AddMinutes(-2)));
        await table.AddEntityAsync(LegacyAnswer(decision.Id, "29:sam", "harms", now.AddMinutes(-1)));

        var current = await store.GetAsync("tenant-layout", decision.Id, CancellationToken.None);
        var saved = await store.TrySaveAnswersAsync(current!, [new Answer { DecisionId = decision.Id, PromptId = "relationship", By = new Person("29:sam", "Sam"), Choices = ["helps"], AnsweredAt = now }], null, null, now, CancellationToken.None);
        Assert.That(saved, Is.Not.Null, "saved against the version just read");
        var (read, answers) = await store.ReadAsync("tenant-layout", decision.Id, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(read!.Text, Is.EqualTo("drop gift wrapping"));
            Assert.That(answers.Select(a => (a.By.Id, a.Choices.Single())), Is.EqualTo(new[] { ("29:avery", "harms"), ("29:sam", "helps") }));
        });
    }

    private static Decision NewDecision(DateTimeOffset now) => new()
    {
        TenantId = "tenant-layout",
        Id = DecisionIds.NewId(),
        Scope = "chat:19:layout@thread.v2",
        ConversationId = "19:layout@thread.v2",
        ConversationType = "GroupChat",
        Text = "drop gift wrapping",
        RaisedBy = new Person("29:avery", "Avery"),
        CreatedAt = now,
    };

    private static TableEntity LegacyAnswer(string decisionId, string personId, string choice, DateTimeOffset at) => new("tenant-layout", $"A|{decisionId}|relationship|{personId}")
    {
        ["DecisionId"] = decisionId,
        ["PromptId"] = "relationship",
        ["ById"] = personId,
        ["ByName"] = personId,
        ["Choices"] = $"[\"{choice}\"]",
        ["AnsweredAt"] = at,
    };
}
