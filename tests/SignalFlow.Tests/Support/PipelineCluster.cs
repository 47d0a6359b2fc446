using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Signals;
using SignalFlow.Silo.Backtest;
using SignalFlow.Silo.Hosting;
using SignalFlow.Strategies;

namespace SignalFlow.Tests.Support;

/// <summary>
/// A one-silo in-process cluster wired like the real silo (memory streams, memory storage, the pipeline services),
/// running the legacy strategies plus one deliberately permissive strategy per sample series so that every series
/// produces plenty of signals.
/// </summary>
public sealed class PipelineCluster : IAsyncLifetime
{
    public static readonly IReadOnlyList<StrategySettings> Strategies = SampleData.LegacyStrategies
        .Concat(SampleData.Series.Select(Permissive))
        .ToList();

    public RecordingSignalStore Store { get; } = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IServiceProvider SiloServices => Cluster.Silos[0].ServiceProvider;

    public static StrategySettings Permissive(SeriesKey series) =>
        TestStrategies.MaCrossover($"{series}_fast", series.Instrument, series.Timeframe, fast: 5, slow: 20, atr: 14,
            sl: 1.5, tp: 2.5, minAtr: 0, minRr: 0);

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<ISignalStore>(Store);
            silo.Services.AddSingleton(new StrategyCatalog(Strategies));
            silo.Services.AddSignalFlowPipeline();
            silo.AddSignalFlowGrains();
            silo.AddSignalFlowStorage(new ConfigurationBuilder().Build());
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    public async Task ReplayAsync(SeriesKey series, IReadOnlyList<Candle> candles)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await BacktestCommand.ReplayAsync(SiloServices, series, candles, timeout.Token);
    }

    public IStrategyGrain StrategyGrain(SeriesKey series) => Cluster.Client.GetGrain<IStrategyGrain>(series.ToString());

    public ICandleIngestionGrain IngestionGrain(Instrument instrument) => Cluster.Client.GetGrain<ICandleIngestionGrain>(instrument.Name);
}
