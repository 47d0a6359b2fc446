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
/// running the legacy strategies plus, on every sample series, one deliberately permissive <c>ma_crossover</c> (so
/// every series produces plenty of signals) and one strategy of every other kind: a series hosts mixed kinds.
/// </summary>
public class PipelineCluster : IAsyncLifetime
{
    public static readonly IReadOnlyList<StrategySettings> Strategies = SampleData.LegacyStrategies
        .Concat(SampleData.Series.Select(Permissive))
        .Concat(SampleData.Series.SelectMany(OtherKinds))
        .ToList();

    public RecordingSignalStore Store { get; } = new();

    /// <summary>Whether strategy grains count other series' open signals (the portfolio) in the correlation factor.</summary>
    protected virtual bool CorrelateAcrossSeries => false;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IServiceProvider SiloServices => Cluster.Silos[0].ServiceProvider;

    public static StrategySettings Permissive(SeriesKey series) =>
        TestStrategies.MaCrossover($"{series}_fast", series.Instrument, series.Timeframe, fast: 5, slow: 20, atr: 14,
            sl: 1.5, tp: 2.5, minAtr: 0, minRr: 0);

    /// <summary>One strategy of each kind but <c>ma_crossover</c>, with the usual textbook periods and no filter.</summary>
    public static IEnumerable<StrategySettings> OtherKinds(SeriesKey series)
    {
        StrategySettings Of(string kind, params (string, double)[] parameters) =>
            TestStrategies.Of($"{series}_{kind}", kind, series.Instrument, series.Timeframe, atr: 14, sl: 1.5, tp: 2.5, minAtr: 0, minRr: 0, parameters);

        yield return Of("ema_crossover", ("fast_ema", 9), ("slow_ema", 21), ("trend_ema", 50));
        yield return Of("rsi_reversion", ("rsi_period", 14), ("oversold", 30), ("overbought", 70));
        yield return Of("donchian_breakout", ("channel_period", 20)) with { AtrSmoothing = SignalFlow.Indicators.AtrSmoothing.Wilder };
        yield return Of("macd_cross", ("macd_fast", 12), ("macd_slow", 26), ("macd_signal", 9));
    }

    /// <summary>Asserts that <paramref name="actual"/> are the signals an independent batch computation of the strategy's kind gives.</summary>
    public static void AssertBatchEquivalent(IReadOnlyList<Candle> candles, StrategySettings strategy, IReadOnlyList<Signal> actual, DateTime? from = null)
    {
        if (strategy.Kind == StrategyKinds.LegacyKind)
        {
            LegacyBatchStrategy.AssertEquivalent(LegacyBatchStrategy.Compute(candles, strategy).Where(s => s.Time >= from.GetValueOrDefault()).ToList(), actual);
        }
        else
        {
            BatchKinds.AssertEquivalent(BatchKinds.Compute(candles, strategy).Where(s => s.Time >= from.GetValueOrDefault()).ToList(), actual);
        }
    }

    /// <summary>What a fixture changes in the silo beyond the pipeline's wiring (runs last, so it may replace services).</summary>
    protected virtual void ConfigureSilo(ISiloBuilder silo)
    {
    }

    public virtual async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<ISignalStore>(Store);
            silo.Services.AddSingleton(new StrategyCatalog(Strategies));
            silo.Services.AddSignalFlowPipeline();

            // The fixture replays each series' history in turn in one cluster: across series, the portfolio would pair
            // one series' old signals with another's at the same candle times, which a one-series backtest cannot see.
            silo.Services.Configure<ConfidenceOptions>(o => o.CorrelateAcrossSeries = CorrelateAcrossSeries);
            silo.AddSignalFlowGrains();
            silo.AddSignalFlowStorage(new ConfigurationBuilder().Build());
            ConfigureSilo(silo);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public virtual async Task DisposeAsync()
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
