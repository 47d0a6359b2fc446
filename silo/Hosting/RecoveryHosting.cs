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
            .Validate(o => o.CandlesPerStateWrite is >= 1 and <= 10_000, $"{RecoveryOptions.Section}:CandlesPerStateWrite must be between 1 and 10000.")
            .Validate(o => o.ReminderPeriod >= TimeSpan.FromMinutes(1), $"{RecoveryOptions.Section}:ReminderPeriod must be at least one minute (Orleans' minimum).")
            .ValidateOnStart();
        SingletonGrainStarter.Register(services, "strategy catch-up grain",
            grains => grains.GetGrain<IStrategyCatchUpGrain>(IStrategyCatchUpGrain.SingletonKey).EnsureRunningAsync());
        return services;
    }
}
