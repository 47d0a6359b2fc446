using SignalFlow.Strategies;
using System.Net;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Streams;
using SignalFlow.Silo.Health;

namespace SignalFlow.Silo.Hosting;

public static class OrleansHosting
{
    /// <summary>Hosts the silo: clustering from <c>SignalFlow:Cluster</c>, SignalFlow's streams and storage, the dashboard.</summary>
    public static WebApplicationBuilder AddSignalFlowSilo(this WebApplicationBuilder builder)
    {
        var cluster = builder.Configuration.GetSection(SignalFlowClusterOptions.Section).Get<SignalFlowClusterOptions>() ?? new();
        var problems = cluster.Validate();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"Cluster configuration is invalid:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", problems)}");
        }

        builder.UseOrleans(silo =>
        {
            silo.UseSignalFlowClustering(cluster, builder.Configuration);
            silo.AddSignalFlowGrains();
            silo.AddSignalFlowStorage(builder.Configuration);
            silo.AddDashboard();
        });
        FirstUseOriginTimeProvider.Register(builder.Services);
        builder.Services.AddSignalFlowRecovery(builder.Configuration);
        builder.Services.AddHealthChecks().AddCheck<SiloMembershipHealthCheck>(SiloMembershipHealthCheck.Name, tags: [Health.HealthHosting.LiveTag]);
        builder.Services.AddSignalFlowHealth(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// Localhost clustering with in-memory reminders, or Redis membership and reminders with endpoints and
    /// membership timing from <c>SignalFlow:Cluster</c>. <paramref name="cluster"/> must be valid.
    /// </summary>
    public static ISiloBuilder UseSignalFlowClustering(this ISiloBuilder silo, SignalFlowClusterOptions cluster, IConfiguration configuration)
    {
        if (!cluster.IsRedis)
        {
            silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
            silo.UseInMemoryReminderService();
            return silo;
        }

        var redis = RedisConnection.Parse(cluster.RedisConnectionString!, $"{SignalFlowClusterOptions.Section}:RedisConnectionString");
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = cluster.ClusterId;
            o.ServiceId = cluster.ServiceId;
        });
        if (string.IsNullOrWhiteSpace(cluster.AdvertisedIPAddress))
        {
            // In a container the first non-loopback address is the container's own; listen on all of them.
            silo.ConfigureEndpoints(cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: true);
        }
        else
        {
            silo.ConfigureEndpoints(IPAddress.Parse(cluster.AdvertisedIPAddress), cluster.SiloPort, cluster.GatewayPort);
        }

        silo.UseRedisClustering(o => o.ConfigurationOptions = redis.Clone());
        silo.UseRedisReminderService(o => o.ConfigurationOptions = redis.Clone());
        silo.Services.AddOptions<ClusterMembershipOptions>()
            .Configure(MembershipTiming.Apply)
            .Bind(configuration.GetSection($"{SignalFlowClusterOptions.Section}:Membership"));
        return silo;
    }

    /// <summary>Queues of the candle stream provider, each polled by one pulling agent in the cluster.</summary>
    public const int CandleStreamQueues = 2;

    /// <summary>
    /// How often each queue's pulling agent polls it, busy or idle. Live candles reach their strategy grain by a direct
    /// call from ingestion (<c>IStrategyGrain.DeliverAsync</c>); the stream carries every candle too (other subscribers,
    /// and the fallback when a direct call fails), so its latency no longer sets the live path's and a long period
    /// keeps an idle silo quiet: 10 polls a second for the two queues instead of 100 at the former 20 ms.
    /// </summary>
    public static readonly TimeSpan CandleStreamPollPeriod = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// What every SignalFlow silo needs whatever its hosting (server, backtest, tests): the candle stream provider
    /// with implicit subscriptions only. Storage is added separately (<see cref="StorageHosting.AddSignalFlowStorage"/>).
    /// </summary>
    public static ISiloBuilder AddSignalFlowGrains(this ISiloBuilder silo)
    {
        silo.Services.AddPlacementDirector<SeriesSpreadPlacement, SeriesSpreadPlacementDirector>();
        silo.AddMemoryStreams(StreamNames.Provider, streams =>
        {
            // Every subscriber is implicit (grain classes with [ImplicitStreamSubscription]): with the default pub/sub
            // each series' producer also registered with a rendezvous grain, one more activation and stored state per
            // series (about 4 KiB, docs/benchmarks.md) that nothing read.
            streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
            // Each queue's pulling agent polls it every period, busy or idle: two queues (the default is eight) keep
            // an idle silo's polling low. A queue carries many series (a backfill's candles arrive
            // as one event per call), so fewer queues do not serialize the series' processing.
            streams.ConfigurePartitioning(CandleStreamQueues);
            streams.ConfigurePullingAgent(agent => agent.Configure(o => o.GetQueueMsgsTimerPeriod = CandleStreamPollPeriod));
        });
        return silo;
    }
}
