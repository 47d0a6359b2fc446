using Microsoft.Extensions.DependencyInjection;
using SignalFlow.Backtesting;
using SignalFlow.Domain;
using SignalFlow.Strategies;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Pipeline;

public class ReactivationTests(PipelineCluster pipeline) : IClassFixture<PipelineCluster>
{
    [Fact]
    public async Task Strategy_grains_of_mixed_kinds_deactivated_mid_series_resume_from_persisted_state_without_duplicates()
    {
        var series = SeriesKey.Parse("GBP_JPY_H4");
        var candles = SampleData.Candles(series);
        var grain = pipeline.StrategyGrain(series);

        const int chunk = 700;
        for (var offset = 0; offset < candles.Count; offset += chunk)
        {
            await pipeline.ReplayAsync(series, candles.Skip(offset).Take(chunk).ToList());
            var before = await grain.GetStatusAsync();
            await pipeline.Cluster.DeactivateAsync(grain);

            // The new activation reports the persisted progress, not a fresh start.
            var after = await grain.GetStatusAsync();
            Assert.Equal(before.CandlesProcessed, after.CandlesProcessed);
            Assert.Equal(before.Strategies.Select(s => s.CandlesSeen), after.Strategies.Select(s => s.CandlesSeen));
        }

        var strategies = PipelineCluster.Strategies.Where(s => s.Series == series).ToList();
        Assert.True(strategies.Select(s => s.Kind).Distinct().Count() >= 5, "the series hosts every kind");
        var uninterrupted = FastBacktest.Run(series, candles, strategies, TimeProvider.System);
        foreach (var strategy in strategies)
        {
            // Identical to one uninterrupted run of the series (bit for bit, confidence included), and not empty.
            var expected = uninterrupted.Runs.Single(r => r.Settings.Id == strategy.Id).Signals;
            var actual = await pipeline.Store.SignalsOfAsync(strategy.Id);
            Assert.NotEmpty(expected);
            Assert.Equal(expected.Select(s => s with { CreatedAt = default }), actual.Select(s => s with { CreatedAt = default }));
        }

        var storedTwice = pipeline.Store.StoreCalls.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(storedTwice);
        Assert.NotEmpty(pipeline.Store.StoreCalls);
    }

    [Fact]
    public async Task Candles_at_or_before_the_last_processed_time_are_ignored_by_the_strategy_grain()
    {
        var series = SeriesKey.Parse("EUR_USD_D");
        var candles = SampleData.Candles(series);
        await pipeline.ReplayAsync(series, candles.Take(300).ToList());

        // Old candles reaching the stream again (a redelivery, or a producer that lost its state) must not be
        // evaluated a second time.
        var stream = pipeline.SiloServices.GetRequiredService<IClusterClient>()
            .GetStreamProvider(StreamNames.Provider).GetStream<Candle>(StreamNames.ClosedCandlesOf(series));
        foreach (var old in candles.Skip(250).Take(50))
        {
            await stream.OnNextAsync(old);
        }

        // Ingestion hands its candles to the strategy grain directly, ahead of the stream: a new candle behind the old
        // ones on the stream shows when the stream has delivered them (it delivers in order).
        await stream.OnNextAsync(candles[300]);
        await pipeline.SiloServices.GetRequiredService<CandleProcessingTracker>().WaitForAsync(series, candles[300].Time, CancellationToken.None)
            .WaitAsync(TimeSpan.FromMinutes(1));
        await pipeline.ReplayAsync(series, candles.Skip(301).ToList());

        var status = await pipeline.StrategyGrain(series).GetStatusAsync();
        Assert.Equal(candles.Count, status.CandlesProcessed);
        Assert.Equal(50, status.StaleCandlesIgnored);
        foreach (var strategy in PipelineCluster.Strategies.Where(s => s.Series == series))
        {
            PipelineCluster.AssertBatchEquivalent(candles, strategy, await pipeline.Store.SignalsOfAsync(strategy.Id));
        }
    }
}
