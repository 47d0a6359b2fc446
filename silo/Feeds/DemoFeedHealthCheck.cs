using Microsoft.Extensions.Diagnostics.HealthChecks;
using SignalFlow.Grains;

namespace SignalFlow.Silo.Feeds;

/// <summary>The demo replay: degraded once it failed (its reminder restarts it), healthy while replaying or done.</summary>
public sealed class DemoFeedHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = await grains.GetGrain<IDemoFeedGrain>(IDemoFeedGrain.SingletonKey).GetStatusAsync().WaitAsync(cancellationToken);
        var data = new Dictionary<string, object> { ["state"] = status.State.ToString(), ["published"] = status.Published, ["pending"] = status.Pending, ["silo"] = status.Silo };
        return status.State == DemoFeedState.Failed
            ? HealthCheckResult.Degraded($"Demo feed failed: {status.LastError}", data: data)
            : HealthCheckResult.Healthy($"Demo feed {status.State}.", data);
    }
}
