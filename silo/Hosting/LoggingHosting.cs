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
                // A taken port or invalid settings end the start with one line on stderr (Program): no stack traces here.
                .Filter.ByExcluding(e => e.Exception is { } exception && StartupFailure.Describe(exception) is not null)
                .ReadFrom.Configuration(configuration)
                .ReadFrom.Services(sp)
                .Enrich.FromLogContext();
            if (!configuration.GetSection("Serilog:WriteTo").Exists())
            {
                logger.WriteTo.Console(
                    outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}",
                    standardErrorFromLevel: logToStandardError ? LogEventLevel.Verbose : null,
                    formatProvider: IsoLogFormat.Culture);
            }
        });
}

/// <summary>
/// The invariant culture with ISO 8601 date patterns: a date or time logged without a format (e.g. a backfill's
/// <c>{After}</c>) reads <c>2024-03-04 08:00:00</c>, never the invariant culture's US-style <c>03/04/2024</c>.
/// </summary>
public static class IsoLogFormat
{
    public static readonly System.Globalization.CultureInfo Culture = Create();

    private static System.Globalization.CultureInfo Create()
    {
        var culture = (System.Globalization.CultureInfo)System.Globalization.CultureInfo.InvariantCulture.Clone();
        culture.DateTimeFormat.ShortDatePattern = "yyyy-MM-dd";
        culture.DateTimeFormat.LongDatePattern = "yyyy-MM-dd";
        culture.DateTimeFormat.ShortTimePattern = "HH:mm";
        culture.DateTimeFormat.LongTimePattern = "HH:mm:ss";
        culture.DateTimeFormat.FullDateTimePattern = "yyyy-MM-dd HH:mm:ss";
        return System.Globalization.CultureInfo.ReadOnly(culture);
    }
}
