using SignalFlow.Domain;
using SignalFlow.Outcomes;
using SignalFlow.Strategies;

namespace SignalFlow.Backtesting;

/// <summary>
/// Runs strategies over a series' candles in memory through the <see cref="SeriesRunner"/> the live strategy grain
/// steps through, without grains, streams or storage (the pipeline pays a state write and a stream hop
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
        var runner = new SeriesRunner(series, strategies.Select(s => kinds.Create(s, time)));
        var signals = strategies.ToDictionary(s => s.Id, _ => new List<Signal>(), StringComparer.Ordinal);
        var outcomes = strategies.ToDictionary(s => s.Id, _ => new List<SignalOutcome>(), StringComparer.Ordinal);
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
            var step = runner.Step(candle);
            foreach (var resolved in step.Resolved)
            {
                outcomes[resolved.StrategyId].Add(resolved.Outcome);
            }

            foreach (var signal in step.Signals)
            {
                signals[signal.StrategyId].Add(signal);
            }
        }

        var runs = runner.Strategies
            .Select(s => new StrategyRun(s.Strategy.Settings, signals[s.Id], outcomes[s.Id].Concat(s.OpenOutcomes).ToList()))
            .ToList();
        return new BacktestResult(series, used, skipped, runs);
    }
}

/// <summary>One strategy's signals (in candle order) and their outcomes (open ones included).</summary>
public sealed record StrategyRun(StrategySettings Settings, IReadOnlyList<Signal> Signals, IReadOnlyList<SignalOutcome> Outcomes)
{
    public OutcomeReport Report() => OutcomeReport.Of(Outcomes);
}

/// <param name="CandlesUsed">Candles the strategies saw.</param>
/// <param name="Skipped">Why each skipped candle was not used.</param>
public sealed record BacktestResult(SeriesKey Series, int CandlesUsed, IReadOnlyList<string> Skipped, IReadOnlyList<StrategyRun> Runs);
