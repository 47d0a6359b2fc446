using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SignalFlow.Silo.Health;

/// <summary>
/// Logs a check when its status changes (Warning when it gets worse, Information when it recovers), rather than the
/// health-check service's Error on every poll of an unhealthy check (that category is silenced in logging).
/// </summary>
public sealed partial class HealthTransitionLogger(ILogger<HealthTransitionLogger> logger) : IHealthCheckPublisher
{
    private readonly Dictionary<string, HealthStatus> _last = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            foreach (var (name, entry) in report.Entries)
            {
                var before = _last.TryGetValue(name, out var last) ? last : HealthStatus.Healthy;
                _last[name] = entry.Status;
                if (entry.Status < before)
                {
                    LogWorse(name, before, entry.Status, entry.Description ?? entry.Exception?.Message);
                }
                else if (entry.Status > before)
                {
                    LogBetter(name, before, entry.Status, entry.Description);
                }
            }
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health check {Check}: {Before} -> {Now}: {Detail}")]
    private partial void LogWorse(string check, HealthStatus before, HealthStatus now, string? detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Health check {Check}: {Before} -> {Now}: {Detail}")]
    private partial void LogBetter(string check, HealthStatus before, HealthStatus now, string? detail);
}
