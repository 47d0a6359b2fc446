using Microsoft.Extensions.Diagnostics.HealthChecks;
using SignalFlow.Validation;

namespace SignalFlow.Silo.Health;

/// <summary>Degraded while the latest change of the news calendar file was refused: an older calendar is in force.</summary>
public sealed class NewsCalendarHealthCheck(NewsCalendarSource source) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Evaluate(source.Status));

    public static HealthCheckResult Evaluate(NewsCalendarStatus status)
    {
        var data = new Dictionary<string, object>
        {
            ["path"] = status.Path ?? "",
            ["events"] = status.Events,
            ["loadedAt"] = status.LoadedAt?.ToString("O") ?? "",
        };
        if (status.Path is null)
        {
            return HealthCheckResult.Healthy("No news calendar configured.", data);
        }

        return status.LastError is null
            ? HealthCheckResult.Healthy($"{status.Events} news event(s) in force.", data)
            : HealthCheckResult.Degraded($"The news calendar change at {status.LastErrorAt:O} was refused ({status.LastError}); the calendar loaded at {status.LoadedAt:O} stays in force.", data: data);
    }
}
