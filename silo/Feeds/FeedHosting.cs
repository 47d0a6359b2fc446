namespace SignalFlow.Silo.Feeds;

public static class FeedHosting
{
    /// <summary>The price feed: the bundled-candle demo replay unless disabled.</summary>
    public static IServiceCollection AddSignalFlowFeeds(this IServiceCollection services, IConfiguration configuration)
    {
        var demo = configuration.GetSection(DemoFeedOptions.Section);
        services.AddOptions<DemoFeedOptions>().Bind(demo);
        if (demo.Get<DemoFeedOptions>()?.Enabled ?? true)
        {
            services.AddHostedService<DemoCandleFeed>();
        }

        return services;
    }
}
