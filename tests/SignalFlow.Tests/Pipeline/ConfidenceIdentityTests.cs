using SignalFlow.Backtesting;
using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Portfolio;
using SignalFlow.Quality;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Pipeline;

/// <summary>
/// Every signal of every kind carries a confidence with its seven factors, the same on every run, and the grain pipeline
/// gives each signal exactly the fast backtest's score: both step through the one series runner.
/// </summary>
public class ConfidenceIdentityTests(PipelineCluster pipeline) : IClassFixture<PipelineCluster>
{
    public static TheoryData<string> Series => new(SampleData.Series.Select(s => s.ToString()));

    [Theory]
    [MemberData(nameof(Series))]
    public async Task Confidence_is_deterministic_and_identical_in_the_fast_backtest_and_the_grain_pipeline(string seriesName)
    {
        var series = SeriesKey.Parse(seriesName);
        var candles = SampleData.Candles(series);
        var strategies = PipelineCluster.Strategies.Where(s => s.Series == series).ToList();

        var first = FastBacktest.Run(series, candles, strategies, TimeProvider.System);
        var second = FastBacktest.Run(series, candles, strategies, TimeProvider.System);
        await pipeline.ReplayAsync(series, candles);

        var fastSignals = first.Runs.SelectMany(r => r.Signals).ToList();
        Assert.NotEmpty(fastSignals);
        Assert.All(fastSignals, s =>
        {
            Assert.InRange(s.Confidence!.Value, 0, 1);
            Assert.Equal(ConfidenceWeights.Seed.ByFactor.Select(f => (f.Factor, f.Weight)), s.ConfidenceFactors!.Select(f => (f.Name, f.Weight)));
            Assert.Equal(s.ConfidenceFactors!.Total(), s.Confidence!.Value, 15);
        });

        // Not a constant: the context, the recent results and the concurrent signals all vary the score.
        Assert.True(fastSignals.Select(s => s.Confidence).Distinct().Count() > 10, "the scores vary");
        foreach (var factor in new[] { ConfidenceScorer.RecentPerformanceFactor, ConfidenceScorer.VolatilityRegimeFactor, ConfidenceScorer.AtrEnvironmentFactor })
        {
            Assert.True(fastSignals.Select(s => s.ConfidenceFactors!.Find(factor)!.Value.Score).Distinct().Count() > 1, $"{factor} varies");
        }

        foreach (var (run, again) in first.Runs.Zip(second.Runs))
        {
            Assert.Equal(run.Signals.Select(s => s with { CreatedAt = default }), again.Signals.Select(s => s with { CreatedAt = default }));
            var live = await pipeline.Store.SignalsOfAsync(run.Settings.Id);
            Assert.Equal(
                run.Signals.Select(s => (s.Id, s.Confidence, s.ConfidenceFactors)),
                live.Select(s => (s.Id, s.Confidence, s.ConfidenceFactors)));
        }

        var status = await pipeline.StrategyGrain(series).GetStatusAsync();
        var context = new MarketContextTracker();
        foreach (var candle in candles)
        {
            context.Update(candle);
        }

        Assert.Equal(context.Current, status.Context);
        Assert.NotNull(status.Context!.Regime);
    }
}

/// <summary>A pipeline whose strategy grains count other series' open signals from the cluster's portfolio.</summary>
public sealed class CrossSeriesPipelineCluster : PipelineCluster
{
    protected override bool CorrelateAcrossSeries => true;
}

public class CrossSeriesCorrelationTests(CrossSeriesPipelineCluster pipeline) : IClassFixture<CrossSeriesPipelineCluster>
{
    [Fact]
    public async Task Live_scores_count_other_series_open_signals_from_the_portfolio_and_nothing_else_changes()
    {
        var series = SeriesKey.Parse("EUR_USD_H4");
        var candles = SampleData.Candles(series);
        var strategies = PipelineCluster.Strategies.Where(s => s.Series == series).ToList();

        // A GBP_USD BUY open on another series for the whole period: short USD, like every EUR_USD BUY.
        var gbpUsdBuy = new OpenSignal("elsewhere:GBP_USD:BUY", "elsewhere", Instrument.Parse("GBP_USD"), SignalDirection.Buy,
            new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2100, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        Assert.Null(await pipeline.Cluster.Client.GetGrain<IPortfolioGrain>(IPortfolioGrain.SingletonKey).OpenAsync(gbpUsdBuy));
        await pipeline.ReplayAsync(series, candles);

        var fast = FastBacktest.Run(series, candles, strategies, TimeProvider.System);
        var buys = 0;
        foreach (var run in fast.Runs)
        {
            var live = (await pipeline.Store.SignalsOfAsync(run.Settings.Id)).ToDictionary(s => s.Id);
            Assert.Equal(run.Signals.Count, live.Count);
            foreach (var backtested in run.Signals)
            {
                // The series' own signals, also in the portfolio, are counted once (by the runner); the GBP_USD BUY
                // takes 0.25 off a BUY's correlation and nothing off a SELL's (long USD: the other side).
                var expected = ConfidenceScorer.WithOtherOpenSignals(backtested, [gbpUsdBuy]);
                Assert.Equal((expected.Confidence, expected.ConfidenceFactors), (live[backtested.Id].Confidence, live[backtested.Id].ConfidenceFactors));
                var correlation = backtested.ConfidenceFactors!.Find(ConfidenceScorer.CorrelationFactor)!.Value.Score;
                if (backtested.Direction == SignalDirection.Buy && correlation > 0)
                {
                    buys++;
                    Assert.Equal(Math.Max(0, correlation - 0.25), live[backtested.Id].ConfidenceFactors!.Find(ConfidenceScorer.CorrelationFactor)!.Value.Score);
                    Assert.True(live[backtested.Id].Confidence < backtested.Confidence);
                }
            }
        }

        Assert.True(buys > 10, $"only {buys} BUY signals to compare");
    }
}
