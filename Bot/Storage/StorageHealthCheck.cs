using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CustomerAdvocateBot.Storage;

/// <summary>Ready when the table service answers.</summary>
public sealed class StorageHealthCheck(StorageTables tables) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await foreach (var _ in tables.Get(StorageTables.Conversations).QueryAsync<Azure.Data.Tables.TableEntity>(maxPerPage: 1, select: ["PartitionKey"], cancellationToken: cancellationToken).AsPages(pageSizeHint: 1))
            {
                break;
            }

            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or AggregateException)
        {
            return HealthCheckResult.Unhealthy("Table storage is not reachable.", ex);
        }
    }
}
