using SignalFlow.Backtesting;
using SignalFlow.Candles;
using SignalFlow.Domain;
using SignalFlow.Outcomes;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Backtesting;

public class FastBacktestTests
{
    private static readonly SeriesKey Series = SeriesKey.Parse("GBP_JPY_H4");

    private static StrategySettings Strategy => SampleData.LegacyStrategies.Single(s => s.Id == "GBP_JPY_H4");

    [Fact]
    public void Each_signal_gets_the_outcome_a_tracker_of_its_own_gives_it()
    {
        var candles = SampleData.Candles(Series);
        var settings = Strategy with { MaxBarsHeld = 12 };

        var run = FastBacktest.Run(Series, candles, [settings], TimeProvider.System).Runs.Single();

        Assert.NotEmpty(run.Signals);
        Assert.Equal(run.Signals.Select(s => s.Id).Order(), run.Outcomes.Select(o => o.SignalId).Order());
        Assert.Contains(run.Outcomes, o => o.Result == OutcomeResult.Expired);
        foreach (var signal in run.Signals)
        {
            var tracker = new OutcomeTracker(signal, 12);
            foreach (var candle in candles.Where(c => c.Time > signal.Time))
            {
                tracker.Update(candle);
            }

            Assert.Equal(tracker.Outcome, run.Outcomes.Single(o => o.SignalId == signal.Id));
        }
    }

    [Fact]
    public void Streamed_candles_give_the_same_run_as_a_list()
    {
        var file = SampleData.CandleFile(Series);

        var listed = FastBacktest.Run(Series, SampleData.Candles(Series), [Strategy], TimeProvider.System);
        var streamed = FastBacktest.Run(Series, CandleCsv.StreamFile(file, Series.Instrument, Series.Timeframe), [Strategy], TimeProvider.System);

        Assert.Equal(listed.CandlesUsed, streamed.CandlesUsed);
        Assert.Equal(listed.Runs[0].Outcomes, streamed.Runs[0].Outcomes);
        Assert.Equal(listed.Runs[0].Signals.Select(s => s with { CreatedAt = default }), streamed.Runs[0].Signals.Select(s => s with { CreatedAt = default }));
    }

    [Fact]
    public void Repeated_and_older_candles_are_skipped_and_reported_as_the_ingestion_grain_refuses_them()
    {
        var candles = SampleData.Candles(Series).Take(300).ToList();
        var disordered = candles.Take(100).Append(candles[99]).Append(candles[50]).Concat(candles.Skip(100)).ToList();

        var clean = FastBacktest.Run(Series, candles, [Strategy], TimeProvider.System);
        var result = FastBacktest.Run(Series, disordered, [Strategy], TimeProvider.System);

        Assert.Equal(300, result.CandlesUsed);
        Assert.Equal(2, result.Skipped.Count);
        Assert.Contains("repeats the previous one", result.Skipped[0]);
        Assert.Contains("is older than the previous", result.Skipped[1]);
        Assert.Equal(clean.Runs[0].Outcomes, result.Runs[0].Outcomes);
    }

    [Fact]
    public void A_strategy_of_another_series_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            FastBacktest.Run(Series, SampleData.Candles(Series), [SampleData.LegacyStrategies.Single(s => s.Id == "EUR_USD_H4")], TimeProvider.System));

        Assert.Contains("trades EUR_USD_H4, not GBP_JPY_H4", error.Message);
    }
}
