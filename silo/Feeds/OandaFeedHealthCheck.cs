using Microsoft.Extensions.Diagnostics.HealthChecks;
using SignalFlow.Grains;

namespace SignalFlow.Silo.Feeds;

/// <summary>
/// <c>/health</c> part for the OANDA feed: healthy while streaming, degraded while (re)connecting, unhealthy once
/// stopped (e.g. OANDA refused the token).
/// </summary>
public sealed class OandaFeedHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = await grains.GetGrain<IOandaFeedGrain>(IOandaFeedGrain.SingletonKey).GetStatusAsync();
        var data = new Dictionary<string, object>
        {
            ["state"] = status.State.ToString(),
            ["connections"] = status.Connections,
            ["ticksForwarded"] = status.TicksForwarded,
            ["backfilledCandles"] = status.BackfilledCandles,
        };
        if (status.LastTickTime is { } lastTick)
        {
            data["lastTickTime"] = lastTick;
        }

        if (status.StreamTime is { } streamTime)
        {
            data["streamTime"] = streamTime;
        }

        return status.State switch
        {
            OandaFeedState.Streaming => HealthCheckResult.Healthy("OANDA pricing stream connected.", data),
            OandaFeedState.Stopped => HealthCheckResult.Unhealthy($"OANDA feed stopped: {status.LastError}", data: data),
            _ => HealthCheckResult.Degraded($"OANDA feed {status.State}: {status.LastError}", data: data),
        };
    }
}
