using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MongoDB.Driver;
using Orleans.Storage;
using SignalFlow.Candles;
using SignalFlow.Grains;
using SignalFlow.Signals;
using SignalFlow.Silo.Hosting;
using SignalFlow.Silo.Notifications;
using SignalFlow.Strategies;

namespace SignalFlow.Benchmarks;

/// <summary>What a benchmark silo is started with beyond its strategies.</summary>
internal sealed record BenchSiloSettings
{
    /// <summary>Configuration keys (storage provider, notification channels), as the silo app reads them.</summary>
    public Dictionary<string, string?> Configuration { get; init; } = [];

    /// <summary>Counts store reads and writes (memory storage only: the counter wraps its providers).</summary>
    public StoreRoundTrips? RoundTrips { get; init; }

    /// <summary>Applied to the MongoDB client's settings (e.g. a command listener), when the provider is MongoDB.</summary>
    public Action<MongoClientSettings>? ConfigureMongo { get; init; }
}

/// <summary>
/// One in-process silo on loopback, composed by the silo app's own extensions (grains, stream provider, storage,
/// notifications): what the figures measure is the production pipeline, not a copy of it.
/// </summary>
internal sealed class BenchSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private BenchSilo(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    public CandleProcessingTracker Tracker => Services.GetRequiredService<CandleProcessingTracker>();

    public static async Task<BenchSilo> StartAsync(StrategyCatalog catalog, BenchSiloSettings settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings.Configuration);
        builder.Services.AddSingleton(catalog);
        builder.Services.AddSignalFlowPipeline();
        builder.Services.AddSignalFlowNotifications(builder.Configuration);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(LoopbackPort.Free(), LoopbackPort.Free(), serviceId: "bench", clusterId: $"bench-{Guid.NewGuid():N}");
            silo.UseInMemoryReminderService();
            silo.AddSignalFlowGrains();
            silo.AddSignalFlowStorage(builder.Configuration, settings.ConfigureMongo);
            if (settings.RoundTrips is { } roundTrips)
            {
                CountRoundTrips(silo.Services, roundTrips);
            }
        });
        var host = builder.Build();
        await host.StartAsync();
        return new BenchSilo(host);
    }

    /// <summary>Wraps the memory storage's candle store, signal store and grain-state provider in counters.</summary>
    private static void CountRoundTrips(IServiceCollection services, StoreRoundTrips roundTrips)
    {
        services.AddSingleton<ICandleStore>(new CountingCandleStore(new InMemoryCandleStore(), roundTrips));
        services.AddSingleton<ISignalStore>(new CountingSignalStore(new InMemorySignalStore(), roundTrips));
        services.AddKeyedSingleton<IGrainStorage>(StorageNames.GrainState, (sp, key) =>
            new CountingGrainStorage(MemoryGrainStorageFactory.Create(sp, (string)key!), roundTrips));
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
