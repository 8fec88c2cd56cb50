using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace CustomerAdvocateBot.Common.Storage;

/// <summary>The tables the bot owns (see docs/storage.md for their keys) and the one place that names them.</summary>
public sealed class StorageTables(TableServiceClient service, IOptions<StorageOptions> options)
{
    public const string Conversations = "Conversations";
    public const string Decisions = "Decisions";
    public const string Dialogs = "Dialogs";
    public const string DigestSubscriptions = "DigestSubscriptions";
    public const string DigestRuns = "DigestRuns";
    public const string ReviewsDue = "ReviewsDue";
    public const string Signals = "Signals";

    /// <summary>Durable jobs that follow no other state, and jobs that failed for good (Common/Jobs, docs/reliability.md).</summary>
    public const string Jobs = "Jobs";
    public const string DeadJobs = "DeadJobs";

    public static IReadOnlyList<string> All { get; } = [Conversations, Decisions, Dialogs, DigestSubscriptions, DigestRuns, ReviewsDue, Signals, Jobs, DeadJobs];

    public TableServiceClient Service { get; } = service;

    public TableClient Get(string name) => Service.GetTableClient(options.Value.TablePrefix + name);

    public async Task CreateAllAsync(CancellationToken cancellationToken)
    {
        foreach (var name in All)
        {
            await Get(name).CreateIfNotExistsAsync(cancellationToken);
        }
    }
}
