using Serilog;
using Serilog.Events;

namespace SignalFlow.Silo.Hosting;

public static class LoggingHosting
{
    /// <summary>Serilog from the <c>Serilog</c> configuration section, console output by default.</summary>
    public static IServiceCollection AddSignalFlowLogging(this IServiceCollection services, IConfiguration configuration, bool logToStandardError = false) =>
        services.AddSerilog((sp, logger) =>
        {
            // Health checks log an Error on every poll of an unhealthy check; HealthTransitionLogger logs changes instead.
            logger.MinimumLevel.Override("Microsoft.Extensions.Diagnostics.HealthChecks", LogEventLevel.Fatal)
                .ReadFrom.Configuration(configuration)
                .ReadFrom.Services(sp)
                .Enrich.FromLogContext();
            if (!configuration.GetSection("Serilog:WriteTo").Exists())
            {
                logger.WriteTo.Console(
                    outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}",
                    standardErrorFromLevel: logToStandardError ? LogEventLevel.Verbose : null,
                    formatProvider: System.Globalization.CultureInfo.InvariantCulture);
            }
        });
}
