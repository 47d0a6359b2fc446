using Orleans.Configuration;
using Orleans.Dashboard;

namespace SignalFlow.Silo.Hosting;

public static class OrleansHosting
{
    /// <summary>Hosts the silo: clustering from <c>SignalFlow:Cluster</c>, SignalFlow's streams and storage, the dashboard.</summary>
    public static WebApplicationBuilder AddSignalFlowSilo(this WebApplicationBuilder builder)
    {
        var cluster = builder.Configuration.GetSection(SignalFlowClusterOptions.Section).Get<SignalFlowClusterOptions>() ?? new();
        if (!string.Equals(cluster.Clustering, "Localhost", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"SignalFlow:Cluster:Clustering '{cluster.Clustering}' is not supported; use 'Localhost'.");
        }

        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
            // Reminders keep the OANDA feed grain alive; a single-machine cluster can hold them in memory.
            silo.UseInMemoryReminderService();
            silo.AddSignalFlowGrains();
            silo.AddSignalFlowStorage(builder.Configuration);
            silo.AddDashboard();
        });
        return builder;
    }

    /// <summary>
    /// What every SignalFlow silo needs whatever its hosting (server, backtest, tests): the candle stream provider
    /// and its pub/sub store. Storage is added separately (<see cref="StorageHosting.AddSignalFlowStorage"/>).
    /// </summary>
    public static ISiloBuilder AddSignalFlowGrains(this ISiloBuilder silo)
    {
        silo.AddMemoryGrainStorage(StorageNames.PubSub);
        silo.AddMemoryStreams(StreamNames.Provider, streams => streams.ConfigurePullingAgent(agent => agent.Configure(o =>
        {
            // Closed candles are rare in production but arrive in bursts from backfill and backtests; a short poll
            // keeps the candle-to-signal latency low at negligible cost.
            o.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(20);
        })));
        return silo;
    }
}
