using System.Net;
using SignalFlow.Grains;
using SignalFlow.Oanda;
using SignalFlow.Silo.Hosting;
using SignalFlow.Strategies;

namespace SignalFlow.Silo.Feeds;

public static class FeedHosting
{
    /// <summary>
    /// The price feed: OANDA's pricing stream when <c>SignalFlow:Feeds:Oanda</c> has an account and a token,
    /// otherwise the bundled-candle demo replay unless disabled.
    /// </summary>
    public static IServiceCollection AddSignalFlowFeeds(this IServiceCollection services, IConfiguration configuration)
    {
        var oanda = configuration.GetSection(OandaFeedOptions.Section);
        services.AddOptions<OandaFeedOptions>().Bind(oanda);
        if (oanda.Get<OandaFeedOptions>() is { IsConfigured: true } oandaOptions)
        {
            if (oandaOptions.Validate() is { Count: > 0 } problems)
            {
                throw new InvalidOperationException($"{OandaFeedOptions.Section} is invalid: {string.Join(" ", problems)}");
            }

            services.AddOandaFeedClients();
            services.AddHostedService<OandaFeedPlanCheck>();
            SingletonGrainStarter.Register(services, "OANDA feed grain",
                grains => grains.GetGrain<IOandaFeedGrain>(IOandaFeedGrain.SingletonKey).EnsureRunningAsync());
            services.AddHealthChecks().AddCheck<OandaFeedHealthCheck>("oanda-feed");
            return services;
        }

        var demo = configuration.GetSection(DemoFeedOptions.Section);
        services.AddOptions<DemoFeedOptions>().Bind(demo)
            .Validate(o => o.CandlesPerSecond > 0, $"{DemoFeedOptions.Section}:CandlesPerSecond must be positive.")
            .Validate(o => o.ReminderPeriod >= TimeSpan.FromMinutes(1), $"{DemoFeedOptions.Section}:ReminderPeriod must be at least 1 minute, Orleans' minimum.")
            .ValidateOnStart();
        services.TryAddSingleton<DemoCandleFeed>();
        if (demo.Get<DemoFeedOptions>()?.Enabled ?? true)
        {
            // A cluster singleton: every silo wakes it, one runs it, another takes over when that silo dies.
            SingletonGrainStarter.Register(services, "demo feed grain",
                grains => grains.GetGrain<IDemoFeedGrain>(IDemoFeedGrain.SingletonKey).EnsureRunningAsync());
            services.AddHealthChecks().AddCheck<DemoFeedHealthCheck>("demo-feed");
        }

        return services;
    }

    /// <summary>What the OANDA feed grain needs, given configured <see cref="OandaFeedOptions"/>.</summary>
    public static IServiceCollection AddOandaFeedClients(this IServiceCollection services)
    {
        services.TryAddSingleton<OandaFeedMetrics>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStrategySetObserver, OandaFeedReplanner>());
        services.TryAddSingleton(sp => new OandaPricingStreamClient(
            // The stream stays open for days; the watchdog, not a request timeout, detects a dead one.
            new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All }) { Timeout = Timeout.InfiniteTimeSpan },
            sp.GetRequiredService<IOptions<OandaFeedOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<OandaFeedMetrics>(),
            sp.GetRequiredService<ILogger<OandaPricingStreamClient>>()));
        services.TryAddSingleton(sp => new OandaCandleClient(
            new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            {
                Timeout = TimeSpan.FromSeconds(30),
            },
            sp.GetRequiredService<IOptions<OandaFeedOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<OandaCandleClient>>()));
        return services;
    }
}
