using SignalFlow.Domain;

namespace SignalFlow.Strategies;

/// <summary>
/// A strategy's indicator values recomputed over stored candles (for charts): warmed up on the candles before the
/// range as a strategy grain warms up a fresh strategy, then fed each candle of the range without evaluating it.
/// </summary>
public sealed class IndicatorReplay
{
    private readonly Strategy _strategy;

    /// <param name="before">Stored candles before the range, oldest first; the last <see cref="Strategy.HistoryCandles"/> are used.</param>
    public IndicatorReplay(Strategy strategy, IReadOnlyList<Candle> before)
    {
        if (strategy.CandlesSeen != 0)
        {
            throw new ArgumentException("A replay starts from a fresh strategy.", nameof(strategy));
        }

        _strategy = strategy;
        foreach (var candle in before.TakeLast(strategy.HistoryCandles))
        {
            strategy.WarmUp(candle);
            HistoryCandlesUsed++;
        }

        ReadyAtStart = strategy.IsReady;
    }

    public StrategySettings Settings => _strategy.Settings;

    public int HistoryCandlesUsed { get; }

    /// <summary>Whether the history sufficed: every indicator exists, and the rule could fire, from the range's first candle on.</summary>
    public bool ReadyAtStart { get; }

    /// <summary>The values the strategy reports after <paramref name="candle"/> (NaN where an indicator does not exist yet).</summary>
    public NamedValues Next(Candle candle)
    {
        _strategy.WarmUp(candle);
        return _strategy.IndicatorValues;
    }
}
