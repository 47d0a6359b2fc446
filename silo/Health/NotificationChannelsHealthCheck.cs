using Microsoft.Extensions.Diagnostics.HealthChecks;
using SignalFlow.Grains;

namespace SignalFlow.Silo.Health;

/// <summary>
/// Degraded while a notification channel is dead or its breaker is not closed: signals are kept and will be sent,
/// but subscribers are not getting them now. The silo itself keeps serving.
/// </summary>
public sealed class NotificationChannelsHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Evaluate(await grains.GetGrain<INotificationGrain>(INotificationGrain.SingletonKey).GetChannelStatusAsync().WaitAsync(cancellationToken));

    public static HealthCheckResult Evaluate(IReadOnlyList<NotificationChannelStatus> channels)
    {
        var data = channels.ToDictionary(c => c.Channel, c => (object)$"{c.Health}, breaker {c.BreakerState}, {c.Pending} pending, {c.DeadLetters} dead letters");
        var problems = channels
            .Where(c => c.Health == NotificationChannelHealth.Dead || c.BreakerState is "Open" or "HalfOpen" or "Isolated")
            .Select(c => c.Health == NotificationChannelHealth.Dead ? $"{c.Channel} is dead ({c.DeadReason})" : $"{c.Channel} breaker {c.BreakerState} ({c.LastError})")
            .ToList();
        return problems.Count == 0
            ? HealthCheckResult.Healthy(channels.Count == 0 ? "No notification channel configured." : "Every notification channel delivers.", data)
            : HealthCheckResult.Degraded(string.Join("; ", problems), data: data);
    }
}
