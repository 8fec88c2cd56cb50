using System.Globalization;
using Azure.Data.Tables;
using CustomerAdvocateBot.Common.Storage;

namespace CustomerAdvocateBot.Decisions;

/// <summary>
/// The personal tab's index, "decisions I raised, own or answered" (docs/storage.md, docs/tab.md): one row per (person,
/// decision) in the tenant's partition of the Decisions table, <c>P|{person}|{inverted ticks of the decision's creation}|{id}</c>,
/// so one person's decisions are one key range, newest first. The row holds only the decision id and which parts the
/// person had (<c>Raised</c>, <c>Owner</c>, <c>Answered</c>); the page reads the decision itself, so nothing here goes stale
/// when the decision changes. Rows ride in the same entity-group batch as the change they follow (create, answers,
/// owner change), so the index never misses a decision written after it existed; <see cref="PersonIndexBackfill"/>
/// covers the ones written before.
/// </summary>
public static class PersonIndex
{
    public const string Prefix = "P|";

    /// <summary>The index actions a batch that turns <paramref name="before"/> into <paramref name="after"/> must carry.</summary>
    /// <param name="before">The decision as stored before the change; null when the batch creates it.</param>
    /// <param name="answers">Answers the batch saves (each answerer gets the decision; anonymous concerns never do).</param>
    public static IEnumerable<TableTransactionAction> ActionsFor(Decision? before, Decision after, IEnumerable<Answer> answers)
    {
        // One action per row: a batch may not touch a row twice, so a person's parts in this change are merged first.
        var parts = new Dictionary<string, Dictionary<string, object>>(StringComparer.Ordinal);
        void Set(string? personId, string part, bool value)
        {
            if (!IsPerson(personId))
            {
                return;
            }

            if (!parts.TryGetValue(personId!, out var row))
            {
                parts[personId!] = row = new Dictionary<string, object>(StringComparer.Ordinal);
            }

            row[part] = value;
        }

        if (before is null)
        {
            Set(after.RaisedBy.Id, Raised, true);
        }

        if (!string.Equals(before?.Owner?.Id, after.Owner?.Id, StringComparison.Ordinal))
        {
            // The former owner keeps the row (they may have raised or answered too) but no longer as owner.
            Set(before?.Owner?.Id, Owner, false);
            Set(after.Owner?.Id, Owner, true);
        }

        foreach (var answer in answers.Where(a => !EmptyChair.IsConcern(a) && !a.IsEmpty))
        {
            Set(answer.By.Id, Answered, true);
        }

        return parts.Select(p =>
        {
            var entity = Entity(TableKeys.Escape(after.TenantId), p.Key, after.CreatedAt, after.Id);
            foreach (var (part, value) in p.Value)
            {
                entity[part] = value;
            }

            // Merge: each change sets only its own parts, so a raiser who later answers keeps "Raised".
            return new TableTransactionAction(TableTransactionActionType.UpsertMerge, entity);
        }).ToList();
    }

    /// <summary>The (empty) row of a person for a decision; set the parts on it and upsert-merge it.</summary>
    public static TableEntity Entity(string partitionKey, string personId, DateTimeOffset createdAt, string decisionId) =>
        new(partitionKey, PersonPrefix(personId) + TableKeys.NewestFirst(createdAt) + "|" + decisionId) { [DecisionIdColumn] = decisionId };

    // "unknown" is what a decision stored without a raiser reads as; it is nobody's.
    public static bool IsPerson(string? personId) => !string.IsNullOrEmpty(personId) && personId != "unknown";

    /// <summary>Every row of one person starts with this.</summary>
    public static string PersonPrefix(string personId) => Prefix + TableKeys.Escape(personId) + "|";

    public static PersonIndexEntry FromEntity(TableEntity e) => new(
        e.GetString(DecisionIdColumn) ?? string.Empty,
        e.GetBoolean(Raised) ?? false,
        e.GetBoolean(Owner) ?? false,
        e.GetBoolean(Answered) ?? false);

    public const string DecisionIdColumn = "DecisionId";
    public const string Raised = "Raised";
    public const string Owner = "Owner";
    public const string Answered = "Answered";
}

/// <summary>One person's index row: the decision and the parts they had in it (as written; the page checks the decision).</summary>
public sealed record PersonIndexEntry(string DecisionId, bool Raised, bool Owner, bool Answered);
