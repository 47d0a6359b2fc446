using OpenTelemetry.Metrics;
using SignalFlow.Silo.Api;
using SignalFlow.Telemetry;

namespace SignalFlow.Silo.Telemetry;

public static class TelemetryHosting
{
    /// <summary>
    /// SignalFlow's, Orleans' and the runtime's meters (process memory and CPU time for <c>signalflow report</c>),
    /// exported for Prometheus at <c>/metrics</c> (operator key, see <see cref="ApiPolicies"/>).
    /// </summary>
    public static IServiceCollection AddSignalFlowTelemetry(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(SignalFlowMetrics.MeterName + "*", "Microsoft.Orleans", "System.Runtime")
            .AddPrometheusExporter());
        return services;
    }

    public static WebApplication MapSignalFlowTelemetry(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(ApiPolicies.Operate);
        return app;
    }
}
