using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SignalFlow.Silo.Health;

public static class HealthHosting
{
    /// <summary>Checks that say whether the silo process should be restarted (membership); the rest only take it out of service.</summary>
    public const string LiveTag = "live";

    /// <summary>
    /// The checks every silo has (grain storage, notification channels, presence in the membership table), the
    /// watch that stops a silo missing from the membership table, and a publisher that logs each check's status
    /// changes instead of an Error per poll.
    /// </summary>
    public static IServiceCollection AddSignalFlowHealth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MembershipWatchOptions>()
            .Bind(configuration.GetSection(MembershipWatchOptions.Section))
            .Validate(o => o.Interval > TimeSpan.Zero && o.Grace >= TimeSpan.Zero && o.ExitTimeout > TimeSpan.Zero, $"{MembershipWatchOptions.Section}: Interval and ExitTimeout must be positive and Grace not negative.")
            .ValidateOnStart();
        services.TryAddSingleton<MembershipTableWatch>();
        services.AddHostedService(sp => sp.GetRequiredService<MembershipTableWatch>());
        services.AddHealthChecks()
            .AddCheck<GrainStorageHealthCheck>("grain-storage")
            .AddCheck<NotificationChannelsHealthCheck>("notification-channels")
            .AddCheck<MembershipTableHealthCheck>("membership-table", tags: [LiveTag]);
        services.Configure<HealthCheckPublisherOptions>(o => o.Period = TimeSpan.FromSeconds(10));
        services.AddSingleton<IHealthCheckPublisher, HealthTransitionLogger>();
        return services;
    }

    /// <summary>
    /// <c>/health/live</c> (the checks tagged live: is this silo a member of its cluster) and <c>/health/ready</c>
    /// (every check), both answering JSON with each check's status, duration and detail: 200 when Healthy or
    /// Degraded, 503 when Unhealthy. <c>/health</c> stays the plain overall status the container checks use.
    /// </summary>
    public static WebApplication MapSignalFlowHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = r => r.Tags.Contains(LiveTag), ResponseWriter = WriteJsonAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { ResponseWriter = WriteJsonAsync });
        return app;
    }

    public static Task WriteJsonAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.Body.WriteAsync(ToJson(report)).AsTask();
    }

    /// <summary><c>{"status", "duration", "checks": {name: {"status", "duration", "detail", "data"}}}</c>; durations in milliseconds.</summary>
    public static byte[] ToJson(HealthReport report)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("status", report.Status.ToString());
            writer.WriteNumber("durationMs", Math.Round(report.TotalDuration.TotalMilliseconds, 1));
            writer.WriteStartObject("checks");
            foreach (var (name, entry) in report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                writer.WriteStartObject(name);
                writer.WriteString("status", entry.Status.ToString());
                writer.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds, 1));
                writer.WriteString("detail", entry.Description ?? entry.Exception?.Message);
                writer.WritePropertyName("data");
                JsonSerializer.Serialize(writer, entry.Data.ToDictionary(d => d.Key, d => d.Value));
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
