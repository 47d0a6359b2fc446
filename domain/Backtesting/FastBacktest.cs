using SignalFlow.Domain;
using SignalFlow.Outcomes;
using SignalFlow.Strategies;

namespace SignalFlow.Backtesting;

/// <summary>
/// Runs strategies over a series' candles in memory: the same <see cref="Strategy"/> and <see cref="OutcomeTracker"/>
/// classes the live grains use, without grains, streams or storage (the pipeline pays a state write and a stream hop
/// per candle, which a backtest or an optimization does not need). Candles not after the previous one are skipped
/// and reported, as the ingestion grain refuses them. The candles may be streamed (<see cref="Candles.CandleCsv.StreamFile"/>):
/// each is used once, in order.
/// </summary>
public static class FastBacktest
{
    public static BacktestResult Run(SeriesKey series, IEnumerable<Candle> candles, IReadOnlyList<StrategySettings> strategies,
        TimeProvider time, StrategyKinds? kinds = null)
    {
        kinds ??= StrategyKinds.Default;
        if (strategies.FirstOrDefault(s => s.Series != series) is { } other)
        {
            throw new ArgumentException($"Strategy '{other.Id}' trades {other.Series}, not {series}.", nameof(strategies));
        }

        var runs = strategies.Select(s => new StrategyRunner(s, kinds.Create(s, time))).ToArray();
        var skipped = new List<string>();
        DateTime? last = null;
        var used = 0;
        foreach (var candle in candles)
        {
            if (candle.Instrument != series.Instrument || candle.Timeframe != series.Timeframe)
            {
                throw new ArgumentException($"Candle {candle.Time:O} of {candle.Series} in a backtest of {series}.", nameof(candles));
            }

            if (last is { } previous && candle.Time <= previous)
            {
                skipped.Add(candle.Time == previous
                    ? $"candle {candle.Time:O} repeats the previous one"
                    : $"candle {candle.Time:O} is older than the previous {previous:O}");
                continue;
            }

            last = candle.Time;
            used++;
            foreach (var run in runs)
            {
                run.Step(candle);
            }
        }

        return new BacktestResult(series, used, skipped, runs.Select(r => r.Finish()).ToList());
    }

    private sealed class StrategyRunner(StrategySettings settings, Strategy strategy)
    {
        private readonly OutcomeBook _book = new();
        private readonly List<Signal> _signals = [];
        private readonly List<SignalOutcome> _outcomes = [];

        public void Step(Candle candle)
        {
            if (_book.Count > 0)
            {
                _book.Update(candle, _outcomes);
            }

            if (strategy.Update(candle) is { } signal)
            {
                _signals.Add(signal);
                _book.Add(signal, settings.MaxBarsHeld);
            }
        }

        public StrategyRun Finish() => new(settings, _signals, _outcomes.Concat(_book.Open).ToList());
    }
}

/// <summary>One strategy's signals (in candle order) and their outcomes (open ones included).</summary>
public sealed record StrategyRun(StrategySettings Settings, IReadOnlyList<Signal> Signals, IReadOnlyList<SignalOutcome> Outcomes)
{
    public OutcomeReport Report() => OutcomeReport.Of(Outcomes, ConfidenceBucket.Lookup(Signals));
}

/// <param name="CandlesUsed">Candles the strategies saw.</param>
/// <param name="Skipped">Why each skipped candle was not used.</param>
public sealed record BacktestResult(SeriesKey Series, int CandlesUsed, IReadOnlyList<string> Skipped, IReadOnlyList<StrategyRun> Runs);
