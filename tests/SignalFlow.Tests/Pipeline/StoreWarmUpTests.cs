using Microsoft.Extensions.DependencyInjection;
using SignalFlow.Candles;
using SignalFlow.Domain;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Pipeline;

/// <summary>
/// History already in the candle store (the legacy streamed_prices collections, or candles stored before a strategy
/// existed) warms strategies up: they signal from the first live candle on, exactly as if they had seen all of it,
/// and announce none of the historical crossovers.
/// </summary>
public class StoreWarmUpTests(PipelineCluster pipeline) : IClassFixture<PipelineCluster>
{
    [Fact]
    public async Task A_new_series_warms_up_from_stored_history_and_signals_only_on_live_candles()
    {
        var series = SeriesKey.Parse("EUR_USD_D");
        var candles = SampleData.Candles(series);
        const int stored = 300;
        await pipeline.SiloServices.GetRequiredService<ICandleStore>().StoreAsync(candles.Take(stored).ToList());

        await pipeline.ReplayAsync(series, candles.Skip(stored).ToList());

        var firstLive = candles[stored].Time;
        foreach (var strategy in PipelineCluster.Strategies.Where(s => s.Series == series))
        {
            PipelineCluster.AssertBatchEquivalent(candles, strategy, await pipeline.Store.SignalsOfAsync(strategy.Id), from: firstLive);
        }

        var status = await pipeline.StrategyGrain(series).GetStatusAsync();
        Assert.Equal(candles.Count - stored, status.CandlesProcessed);
        Assert.All(status.Strategies, s => Assert.True(s.IsReady));
    }
}
