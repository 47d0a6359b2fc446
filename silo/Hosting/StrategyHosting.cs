using SignalFlow.Grains;
using SignalFlow.Silo.Notifications;
using SignalFlow.Strategies;
using SignalFlow.Telemetry;

namespace SignalFlow.Silo.Hosting;

/// <summary>
/// <c>SignalFlow:Strategies</c>: where the legacy-format strategy settings are. The file seeds the cluster's runtime
/// strategy set (<see cref="IStrategyRegistryGrain"/>) the first time the cluster starts on its grain storage; from then
/// on the runtime set, changed through the API, is what runs, and a later edit of the file is reported at start, not applied.
/// </summary>
public sealed class StrategyOptions
{
    public const string Section = "SignalFlow:Strategies";

    /// <summary>A JSON file in the legacy format; relative paths resolve against the working then the app directory.</summary>
    public string Path { get; set; } = "data/strategies-4ex.json";
}

public static class StrategyHosting
{
    /// <summary>Strategies from configuration, the signal store and the pipeline's shared services.</summary>
    public static IServiceCollection AddSignalFlowStrategies(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StrategyOptions>().Bind(configuration.GetSection(StrategyOptions.Section));
        services.TryAddSingleton(sp =>
        {
            var path = PathResolver.Resolve(sp.GetRequiredService<IOptions<StrategyOptions>>().Value.Path);
            var loaded = StrategySettingsLoader.LoadFile(path);
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("SignalFlow.Strategies");
            foreach (var warning in loaded.Warnings)
            {
                logger.LogWarning("Strategy settings {Path}: {Warning}", path, warning);
            }

            logger.LogInformation("Loaded {Count} strategies from {Path}", loaded.Strategies.Count, path);
            return new StrategyCatalog(loaded.Strategies);
        });

        // Activated at start so that a strategies file edited since it seeded the runtime set is reported then.
        SingletonGrainStarter.Register(services, "strategy registry grain",
            grains => grains.GetGrain<IStrategyRegistryGrain>(IStrategyRegistryGrain.SingletonKey).GetAllAsync());
        return services.AddSignalFlowPipeline();
    }

    /// <summary>Services every silo's grains depend on, whatever the strategies' source.</summary>
    public static IServiceCollection AddSignalFlowPipeline(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<CandleProcessingTracker>();
        services.AddMetrics();
        services.TryAddSingleton<SignalFlowMetrics>();
        return services.AddNotificationServices();
    }
}
