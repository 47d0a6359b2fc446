namespace SignalFlow.Portfolio;

/// <summary><c>SignalFlow:Portfolio</c>: how long a signal counts as open when nothing resolves it sooner.</summary>
public sealed class PortfolioOptions
{
    public const string Section = "SignalFlow:Portfolio";

    /// <summary>
    /// Candles of its timeframe after which a signal of a strategy without <c>max_bars_held</c> leaves the portfolio
    /// (a strategy's <c>max_bars_held</c> takes precedence). An age limit so that a signal whose outcome is never seen
    /// does not count against exposure forever.
    /// </summary>
    public int MaxBarsOpen { get; set; } = 50;
}
