using System.Net;
using SignalFlow.Oanda;

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
            services.AddHostedService<OandaFeedStarter>();
            services.AddHealthChecks().AddCheck<OandaFeedHealthCheck>("oanda-feed");
            return services;
        }

        var demo = configuration.GetSection(DemoFeedOptions.Section);
        services.AddOptions<DemoFeedOptions>().Bind(demo);
        if (demo.Get<DemoFeedOptions>()?.Enabled ?? true)
        {
            services.AddHostedService<DemoCandleFeed>();
        }

        return services;
    }

    /// <summary>What the OANDA feed grain needs, given configured <see cref="OandaFeedOptions"/>.</summary>
    public static IServiceCollection AddOandaFeedClients(this IServiceCollection services)
    {
        services.TryAddSingleton<OandaFeedMetrics>();
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
