using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;
using SignalFlow.Silo.Hosting;

namespace SignalFlow.Tests.Persistence;

/// <summary>The embedded default's provider (Orleans' memory storage, as registered for SignalFlow), in a one-silo test cluster.</summary>
public sealed class MemoryGrainStorageConformanceTests(MemoryGrainStorageConformanceTests.ClusterFixture cluster)
    : GrainStorageConformanceTests, IClassFixture<MemoryGrainStorageConformanceTests.ClusterFixture>
{
    protected override IGrainStorage Storage => cluster.Storage;

    public sealed class ClusterFixture : IAsyncLifetime
    {
        private InProcessTestCluster _cluster = null!;

        public IGrainStorage Storage { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var builder = new InProcessTestClusterBuilder(1);
            builder.ConfigureSilo((_, silo) => silo.AddSignalFlowStorage(new ConfigurationBuilder().Build()));
            _cluster = builder.Build();
            await _cluster.DeployAsync();
            Storage = _cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.GrainState);
        }

        public async Task DisposeAsync() => await _cluster.DisposeAsync();
    }
}
