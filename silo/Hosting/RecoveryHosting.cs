using SignalFlow.Grains;
using SignalFlow.Strategies;

namespace SignalFlow.Silo.Hosting;

/// <summary><c>SignalFlow:Recovery</c>: how soon candles lost at the end of a series are recovered.</summary>
public sealed class RecoveryOptions
{
    public const string Section = "SignalFlow:Recovery";

    /// <summary>
    /// How often each silo asks every configured series' strategy grain to catch up with the candle store. A gap is
    /// noticed at once when a later candle arrives; this bounds the delay when none does (the tail of a series).
    /// </summary>
    public TimeSpan CatchUpInterval { get; set; } = TimeSpan.FromSeconds(15);
}

public static class RecoveryHosting
{
    public static IServiceCollection AddSignalFlowRecovery(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RecoveryOptions>()
            .Bind(configuration.GetSection(RecoveryOptions.Section))
            .Validate(o => o.CatchUpInterval > TimeSpan.Zero, $"{RecoveryOptions.Section}:CatchUpInterval must be positive.")
            .ValidateOnStart();
        services.AddHostedService<StrategyCatchUpService>();
        return services;
    }
}

/// <summary>
/// Periodically asks each series' strategy grain to process candles stored but never received: the tail of a
/// series whose stream queue died with a silo. Cheap when nothing is missing (one store read per series), and
/// harmless when several silos run it at once: a grain processes each candle once.
/// </summary>
public sealed partial class StrategyCatchUpService(
    IGrainFactory grains,
    StrategyCatalog catalog,
    IOptions<RecoveryOptions> options,
    TimeProvider time,
    ILogger<StrategyCatchUpService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CatchUpInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var series in catalog.Series)
            {
                try
                {
                    await grains.GetGrain<IStrategyGrain>(series.ToString()).CatchUpAsync().WaitAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // Typically a silo that just died still owns the grain; the next round retries.
                    LogCatchUpFailed(ex, series.ToString());
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catch-up of strategy grain {Series} failed; retrying next round")]
    private partial void LogCatchUpFailed(Exception exception, string series);
}
