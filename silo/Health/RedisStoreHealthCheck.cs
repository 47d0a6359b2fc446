using Microsoft.Extensions.Diagnostics.HealthChecks;
using SignalFlow.Silo.Hosting;

namespace SignalFlow.Silo.Health;

/// <summary>
/// The Redis that holds signals and candles (<c>SignalFlow:Storage:Provider</c> Redis) answers a PING: unhealthy
/// otherwise, since neither can be stored (Redis storage has no spool). Grain state on Redis is checked by
/// <see cref="GrainStorageHealthCheck"/> through its own connection.
/// </summary>
public sealed class RedisStoreHealthCheck(RedisStoreConnection connection) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await connection.Multiplexer.GetDatabase().PingAsync().WaitAsync(Timeout, cancellationToken);
            return HealthCheckResult.Healthy("Redis store answers.", new Dictionary<string, object> { ["pingMs"] = Math.Round(latency.TotalMilliseconds, 1) });
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The exception's text is left out: it names the Redis endpoint.
            return HealthCheckResult.Unhealthy($"Redis store does not answer ({e.GetType().Name}).");
        }
    }
}
