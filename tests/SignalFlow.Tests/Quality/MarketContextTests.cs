using SignalFlow.Domain;
using SignalFlow.Indicators;
using SignalFlow.Quality;
using SignalFlow.Tests.Indicators;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Quality;

public class MarketContextTests
{
    [Theory]
    [InlineData(null, 0.5, null)]
    [InlineData(30.0, null, null)]
    [InlineData(25.0, 0.89, MarketRegime.Trending)]
    [InlineData(24.99, 0.89, MarketRegime.Ranging)]
    [InlineData(10.0, 0.0, MarketRegime.Ranging)]
    [InlineData(10.0, 0.9, MarketRegime.Volatile)]
    [InlineData(40.0, 1.0, MarketRegime.Volatile)]
    public void The_regime_by_its_documented_thresholds(double? adx, double? percentile, MarketRegime? regime) =>
        Assert.Equal(regime, MarketContext.Classify(adx, percentile));

    [Fact]
    public void The_context_follows_its_indicators_on_a_bundled_series_and_resumes_bit_for_bit()
    {
        var candles = SampleData.Candles(SeriesKey.Parse("EUR_USD_H4"));
        var (_, _, adx) = AverageDirectionalIndexTests.Batch(candles, MarketContextTracker.Period);
        var atr = BatchIndicators.AtrWilder(candles, MarketContextTracker.Period);
        var tracker = new MarketContextTracker();
        var contexts = new List<MarketContext>();
        foreach (var candle in candles)
        {
            tracker.Update(candle);
            contexts.Add(tracker.Current);
        }

        // ATR exists from t = 13, so its percentile among 100 values from t = 112; ADX from t = 27.
        Assert.Null(contexts[111].AtrPercentile);
        Assert.NotNull(contexts[112].AtrPercentile);
        Assert.Null(contexts[26].Adx);
        Assert.Equal(adx[27], contexts[27].Adx);
        Assert.Equal(atr[^1], contexts[^1].Atr);
        Assert.Equal(PercentileRank.Of(atr[^1], atr[^100..]), contexts[^1].AtrPercentile);
        Assert.Equal(MarketContext.Classify(adx[^1], contexts[^1].AtrPercentile), contexts[^1].Regime);
        Assert.Equal(3, contexts.Select(c => c.Regime).OfType<MarketRegime>().Distinct().Count());

        var half = candles.Count / 2;
        var first = new MarketContextTracker();
        foreach (var candle in candles.Take(half))
        {
            first.Update(candle);
        }

        var resumed = new MarketContextTracker();
        resumed.Restore(first.Snapshot());
        Assert.Equal(contexts[half - 1], resumed.Current);
        foreach (var (candle, t) in candles.Select((c, t) => (c, t)).Skip(half))
        {
            resumed.Update(candle);
            Assert.Equal(contexts[t], resumed.Current);
        }
    }
}
