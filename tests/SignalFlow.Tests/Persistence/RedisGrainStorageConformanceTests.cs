using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;
using SignalFlow.Silo.Hosting;
using SignalFlow.Tests.Cluster;

namespace SignalFlow.Tests.Persistence;

/// <summary>The cluster provider without MongoDB (Orleans' Redis storage, as registered for SignalFlow) on a real redis-server.</summary>
public sealed class RedisGrainStorageConformanceTests(RedisGrainStorageConformanceTests.ClusterFixture cluster)
    : GrainStorageConformanceTests, IClassFixture<RedisGrainStorageConformanceTests.ClusterFixture>
{
    protected override IGrainStorage Storage
    {
        get
        {
            Skip.If(cluster.Storage is null, "redis-server is not installed (CI installs it: apt-get install redis-server).");
            return cluster.Storage;
        }
    }

    public sealed class ClusterFixture : IAsyncLifetime
    {
        private RedisServer? _redis;
        private InProcessTestCluster? _cluster;

        public IGrainStorage? Storage { get; private set; }

        public async Task InitializeAsync()
        {
            if (RedisServer.Executable is null)
            {
                return;
            }

            _redis = await RedisServer.StartAsync();
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["SignalFlow:Storage:Provider"] = "Redis",
                ["SignalFlow:Storage:RedisConnectionString"] = _redis.ConnectionString,
            }).Build();
            var builder = new InProcessTestClusterBuilder(1);
            builder.ConfigureSilo((_, silo) => silo.AddSignalFlowStorage(configuration));
            _cluster = builder.Build();
            await _cluster.DeployAsync();
            Storage = _cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.GrainState);
        }

        public async Task DisposeAsync()
        {
            if (_cluster is not null)
            {
                await _cluster.DisposeAsync();
            }

            if (_redis is not null)
            {
                await _redis.DisposeAsync();
            }
        }
    }
}
