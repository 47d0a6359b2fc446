namespace SignalFlow.Strategies;

/// <summary>Whether a kind bets on a move continuing or on it reverting (docs/signal-quality.md, regime factor).</summary>
public enum StrategyStyle
{
    TrendFollowing,
    MeanReversion,
}
