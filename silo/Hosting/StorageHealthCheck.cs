using Microsoft.Extensions.Diagnostics.HealthChecks;
using SignalFlow.Persistence;

namespace SignalFlow.Silo.Hosting;

/// <summary>
/// Degraded while the store does not answer a ping or any spool holds undelivered or rejected writes: the silo keeps
/// accepting signals and candles (they are spooled), but the store is behind. The store's error text is left out:
/// it can name hosts of the connection string.
/// </summary>
internal sealed class StorageHealthCheck(IReadOnlyList<ISpoolStatus> spools, Func<CancellationToken, Task> pingStore, TimeSpan pingTimeout) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var spool in spools)
        {
            data[$"{spool.Name}_spooled"] = spool.PendingCount;
            data[$"{spool.Name}_rejected"] = spool.DeadLetteredCount;
            data[$"{spool.Name}_discarded"] = spool.DiscardedRecords;
            if (spool.PendingCount > 0)
            {
                problems.Add($"{spool.PendingCount} {spool.Name} writes spooled, not yet in the store");
            }

            if (spool.DeadLetteredCount > 0)
            {
                problems.Add($"{spool.DeadLetteredCount} {spool.Name} writes rejected by the store (see {spool.Name}.rejected.spool)");
            }
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(pingTimeout);
        try
        {
            await pingStore(timeout.Token);
            data["store_reachable"] = true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            data["store_reachable"] = false;
            problems.Add($"store unreachable ({e.GetType().Name})");
        }

        return problems.Count == 0
            ? HealthCheckResult.Healthy("Storage reachable, nothing spooled.", data)
            : HealthCheckResult.Degraded(string.Join("; ", problems), data: data);
    }
}
