using Microsoft.Extensions.Diagnostics.HealthChecks;
using SignalFlow.Grains;

namespace SignalFlow.Silo.Feeds;

/// <summary>
/// <c>/health</c> part for the OANDA feed: healthy while streaming, degraded while (re)connecting, unhealthy once
/// stopped (e.g. OANDA refused the token), and degraded while streaming when the stream's time (prices and its
/// 5-second heartbeats) lags the clock by more than <see cref="MaxStreamLag"/>: a frozen stream.
/// </summary>
public sealed class OandaFeedHealthCheck(IGrainFactory grains, TimeProvider time) : IHealthCheck
{
    public static readonly TimeSpan MaxStreamLag = TimeSpan.FromSeconds(30);

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

        var lag = status.StreamTime is { } stamped ? time.GetUtcNow().UtcDateTime - stamped : (TimeSpan?)null;
        return status.State switch
        {
            OandaFeedState.Streaming when lag > MaxStreamLag =>
                HealthCheckResult.Degraded($"OANDA pricing stream connected but its time lags {lag.Value.TotalSeconds:0} s behind the clock.", data: data),
            OandaFeedState.Streaming => HealthCheckResult.Healthy("OANDA pricing stream connected.", data),
            OandaFeedState.Stopped => HealthCheckResult.Unhealthy($"OANDA feed stopped: {status.LastError}", data: data),
            _ => HealthCheckResult.Degraded($"OANDA feed {status.State}: {status.LastError}", data: data),
        };
    }
}
