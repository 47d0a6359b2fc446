using SignalFlow.Grains;
using SignalFlow.Strategies;

namespace SignalFlow.Silo.Hosting;

public static class RecoveryHosting
{
    public static IServiceCollection AddSignalFlowRecovery(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RecoveryOptions>()
            .Bind(configuration.GetSection(RecoveryOptions.Section))
            .Validate(o => o.CatchUpInterval > TimeSpan.Zero, $"{RecoveryOptions.Section}:CatchUpInterval must be positive.")
            .Validate(o => o.ReminderPeriod >= TimeSpan.FromMinutes(1), $"{RecoveryOptions.Section}:ReminderPeriod must be at least one minute (Orleans' minimum).")
            .ValidateOnStart();
        services.AddHostedService<StrategyCatchUpStarter>();
        return services;
    }
}

/// <summary>
/// Wakes the cluster's catch-up grain when this silo starts; from then on its reminder keeps it running, on whichever
/// silo holds it. Every silo does this; the grain is one.
/// </summary>
public sealed partial class StrategyCatchUpStarter(IGrainFactory grains, TimeProvider time, ILogger<StrategyCatchUpStarter> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                await grains.GetGrain<IStrategyCatchUpGrain>(IStrategyCatchUpGrain.SingletonKey).EnsureRunningAsync();
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogStartFailed(ex, RetryDelay);
                await Task.Delay(RetryDelay, time, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Starting the strategy catch-up grain failed; retrying in {Delay}")]
    private partial void LogStartFailed(Exception exception, TimeSpan delay);
}
