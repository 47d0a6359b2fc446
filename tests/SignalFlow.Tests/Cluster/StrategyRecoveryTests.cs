using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using SignalFlow.Candles;
using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Signals;
using SignalFlow.Silo.Hosting;
using SignalFlow.Strategies;

namespace SignalFlow.Tests.Cluster;

/// <summary>
/// Candles that reach the candle store but never the strategy grain (a dead silo's stream queue) are processed
/// anyway: when a later candle reveals the gap, or when the catch-up sweep runs.
/// </summary>
public sealed class StrategyRecoveryTests : IAsyncLifetime
{
    /// <summary>Longer than any test: the sweep stays out of the way of the gap path.</summary>
    private static readonly TimeSpan NoSweep = TimeSpan.FromHours(1);

    /// <summary>The sweep under test runs on real time, at a pace that needs no waiting to speak of.</summary>
    private static readonly TimeSpan QuickSweep = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly StrategySettings _strategy = SampleSeries.Strategy();
    private readonly IReadOnlyList<Candle> _candles = SampleSeries.Candles().Take(1000).ToList();
    private InProcessTestCluster? _cluster;

    // xunit 2 disposes test classes through IAsyncLifetime, not IAsyncDisposable.
    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_later_candle_reveals_the_gap_and_the_stored_missing_candles_are_processed_first()
    {
        await StartClusterAsync(NoSweep);
        var (published, lost, later) = SplitAroundASignal();
        await PublishAndWaitAsync(published);

        // Stored, then neither handed over directly nor on the stream: the ingestion grain's silo died with them, so
        // its next activation does not know the series' newest stored candle.
        await Service<ICandleStore>().StoreAsync(lost);
        await _cluster!.DeactivateAsync(_cluster.Client.GetGrain<ICandleIngestionGrain>(SampleSeries.Series.Instrument.Name));

        await PublishAndWaitAsync(later);

        await AssertSignalsAsync(published.Concat(lost).Concat(later));
        Assert.Equal(published.Count + lost.Count + later.Count, (await StrategyGrain().GetStatusAsync()).CandlesProcessed);
    }

    [Fact]
    public async Task The_catch_up_sweep_processes_candles_lost_at_the_end_of_a_series()
    {
        await StartClusterAsync(QuickSweep);
        var (published, lost, _) = SplitAroundASignal();
        await PublishAndWaitAsync(published);

        await Service<ICandleStore>().StoreAsync(lost);

        await Service<CandleProcessingTracker>().WaitForAsync(SampleSeries.Series, lost[^1].Time, CancellationToken.None).WaitAsync(Patience);
        await AssertSignalsAsync(published.Concat(lost));
    }

    [Fact]
    public async Task Catch_up_rounds_leave_an_up_to_date_series_alone_and_ask_only_the_one_that_missed_candles()
    {
        await StartClusterAsync(NoSweep);
        var owner = _cluster!.Client.GetGrain<IStrategyCatchUpGrain>(IStrategyCatchUpGrain.SingletonKey);
        var (published, lost, _) = SplitAroundASignal();
        await PublishAndWaitAsync(published);

        // Round 1 only notes the newest stored candle; round 2 asks the grain once to confirm it; then nothing.
        Assert.Empty(await owner.RunRoundAsync());
        Assert.Equal([SampleSeries.Series.ToString()], await owner.RunRoundAsync());
        Assert.Empty(await owner.RunRoundAsync());
        Assert.Empty(await owner.RunRoundAsync());

        await Service<ICandleStore>().StoreAsync(lost);
        Assert.Empty(await owner.RunRoundAsync());
        Assert.Equal([SampleSeries.Series.ToString()], await owner.RunRoundAsync());
        await AssertSignalsAsync(published.Concat(lost));
        Assert.Empty(await owner.RunRoundAsync());
    }

    [Fact]
    public async Task A_grain_that_never_processed_a_candle_does_not_replay_the_stores_history()
    {
        await StartClusterAsync(NoSweep);
        await Service<ICandleStore>().StoreAsync(_candles.Take(300).ToList());

        var status = await StrategyGrain().CatchUpAsync(DateTime.MaxValue);

        Assert.Null(status.LastCandleTime);
        Assert.Equal(0, status.CandlesProcessed);
    }

    private async Task StartClusterAsync(TimeSpan catchUpInterval)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"{RecoveryOptions.Section}:CatchUpInterval"] = catchUpInterval.ToString(),
            }).Build();
            silo.Services.AddSingleton(new StrategyCatalog([_strategy]));
            silo.Services.AddSignalFlowPipeline();
            silo.Services.AddSignalFlowRecovery(configuration);
            silo.UseInMemoryReminderService();
            silo.AddSignalFlowGrains();
            silo.AddSignalFlowStorage(configuration);
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    /// <summary>Published candles, then a lost run holding a signal's candle, then later candles.</summary>
    private (List<Candle> Published, List<Candle> Lost, List<Candle> Later) SplitAroundASignal()
    {
        var expected = SampleSeries.Evaluate(_strategy, _candles);
        var signalIndex = _candles.ToList().FindIndex(c => c.Time == expected.First(s => s.Time > _candles[300].Time).Time);
        Assert.InRange(signalIndex, 300, _candles.Count - 60);
        return (_candles.Take(signalIndex - 50).ToList(),
            _candles.Skip(signalIndex - 50).Take(60).ToList(),
            _candles.Skip(signalIndex + 10).Take(50).ToList());
    }

    private async Task PublishAndWaitAsync(IReadOnlyList<Candle> candles)
    {
        var ingestion = _cluster!.Client.GetGrain<ICandleIngestionGrain>(SampleSeries.Series.Instrument.Name);
        foreach (var chunk in candles.Chunk(200))
        {
            var results = await ingestion.PublishClosedCandlesAsync(chunk);
            Assert.All(results, r => Assert.Equal(CandleIngestOutcome.Published, r.Outcome));
            await Service<CandleProcessingTracker>().WaitForAsync(SampleSeries.Series, chunk[^1].Time, CancellationToken.None).WaitAsync(Patience);
        }
    }

    private async Task AssertSignalsAsync(IEnumerable<Candle> candles)
    {
        var expected = SampleSeries.Evaluate(_strategy, candles);
        var stored = await Service<ISignalStore>().QueryAsync(new SignalQuery(Limit: int.MaxValue));
        Assert.NotEmpty(expected);
        Assert.Equal(
            expected.Select(s => (s.Id, s.Close, s.StopLoss, s.TakeProfit)),
            stored.OrderBy(s => s.Time).Select(s => (s.Id, s.Close, s.StopLoss, s.TakeProfit)));
    }

    private IStrategyGrain StrategyGrain() => _cluster!.Client.GetGrain<IStrategyGrain>(SampleSeries.Series.ToString());

    private T Service<T>() where T : notnull => _cluster!.Silos[0].ServiceProvider.GetRequiredService<T>();
}
