using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CustomerAdvocateBot.Common.Storage;

/// <summary>Ready when the table service answers, within a few seconds (a probe must not hang on the SDK's retries).</summary>
public sealed class StorageHealthCheck(StorageTables tables) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await foreach (var _ in tables.Get(StorageTables.Conversations).QueryAsync<Azure.Data.Tables.TableEntity>(maxPerPage: 1, select: ["PartitionKey"], cancellationToken: timeout.Token).AsPages(pageSizeHint: 1))
            {
                break;
            }

            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or AggregateException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return HealthCheckResult.Unhealthy("Table storage is not reachable.", ex);
        }
    }
}
