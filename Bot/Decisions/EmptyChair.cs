using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using CustomerAdvocateBot.Common;
using CustomerAdvocateBot.Common.Cards;
using CustomerAdvocateBot.Teams;

namespace CustomerAdvocateBot.Decisions;

/// <summary>
/// The empty chair: anyone in the conversation may add a concern on the customer's behalf without their name on it. A
/// concern is kept as an answer to a prompt id no catalogue may use, by a person made up for that one concern, so it
/// travels with the answers (one read, one write) and is never linked to whoever wrote it. It counts as a flag in the
/// verdict (docs/verdict.md). What stops abuse is <see cref="ConcernRateLimiter"/>, held in memory only (docs/cards.md).
/// </summary>
public static class EmptyChair
{
    /// <summary>The reserved prompt id concerns are stored under; <see cref="PromptCatalog"/> refuses it for a prompt.</summary>
    public const string PromptId = "empty-chair";

    /// <summary>How a concern is shown, in place of a name.</summary>
    public const string Label = "Anonymous concern";

    /// <summary>A concern is capped like an answer.</summary>
    public const int MaxLength = DecisionLimits.MaxAnswerLength;

    public const string NextStep = "Answer the anonymous concerns before deciding";

    public static bool IsConcern(Answer answer) => answer.PromptId == PromptId;

    /// <summary>The verdict flag a concern raises; its reason carries the concern's opening words.</summary>
    public static RaisedFlag Flag(Answer concern) =>
        new(PromptId, FlagSeverity.NeedsWork, $"{Label}: {PlainText.Preview(concern.Text?.Trim() ?? string.Empty, 120)}", NextStep);

    /// <summary>The concern's words from its flag (without the "Anonymous concern: " label).</summary>
    public static string TextOf(RaisedFlag flag) =>
        flag.Reason.StartsWith(Label + ": ", StringComparison.Ordinal) ? flag.Reason[(Label.Length + 2)..] : flag.Reason;

    /// <summary>
    /// A new concern. Its "author" is a random id made for this concern alone, so two concerns by one person cannot be
    /// told apart from concerns by two people, and nothing about the writer is in the record.
    /// </summary>
    public static Answer Create(string decisionId, string text, DateTimeOffset now) => new()
    {
        DecisionId = decisionId,
        PromptId = PromptId,
        By = new Person("concern-" + Guid.NewGuid().ToString("N"), Label),
        Text = text,
        AnsweredAt = now,
    };

    /// <summary>The text to store, or a problem to show (and nothing is stored).</summary>
    public static (string? Text, string? Problem) Validate(string? text)
    {
        text = text is null ? null : Mentions.PlainNames(text).Trim();
        if (string.IsNullOrEmpty(text))
        {
            return (null, "Write the concern first: what would the customer feel?");
        }

        return text.Length > MaxLength
            ? (null, $"That concern is {text.Length:N0} characters; please shorten it to {MaxLength:N0} or fewer. Nothing was saved.")
            : (text, null);
    }
}

/// <summary>
/// Limits how many anonymous concerns one person can add, without keeping who they are: the key is a keyed hash of the
/// user id with a key made at start-up and never written anywhere, the counts live only in this process's memory, and
/// an entry goes once its window has passed. A restart forgets everything (and so would let someone add a few more,
/// which is the price of storing nothing).
/// </summary>
public sealed class ConcernRateLimiter(TimeProvider timeProvider)
{
    /// <summary>Concerns one person may add in <see cref="Window"/> (across all decisions).</summary>
    public const int Limit = 5;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>Counts one concern for this person; false when they already added <see cref="Limit"/> in the window.</summary>
    public bool TryAcquire(string userId)
    {
        var now = timeProvider.GetUtcNow();
        Sweep(now);
        var key = Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(userId)));
        var bucket = _buckets.GetOrAdd(key, _ => new Bucket(now));
        lock (bucket)
        {
            if (now - bucket.Start >= Window)
            {
                bucket.Start = now;
                bucket.Count = 0;
            }

            if (bucket.Count >= Limit)
            {
                return false;
            }

            bucket.Count++;
            return true;
        }
    }

    // Drops windows that have passed, so memory holds only the last ten minutes' writers.
    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, bucket) in _buckets)
        {
            if (now - bucket.Start >= Window)
            {
                _buckets.TryRemove(new KeyValuePair<string, Bucket>(key, bucket));
            }
        }
    }

    private sealed class Bucket(DateTimeOffset start)
    {
        public DateTimeOffset Start = start;
        public int Count;
    }
}
