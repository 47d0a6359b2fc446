namespace SignalFlow.Portfolio;

/// <summary><c>SignalFlow:Portfolio</c>: the age limit of a signal whose outcome is never seen.</summary>
public sealed class PortfolioOptions
{
    public const string Section = "SignalFlow:Portfolio";

    /// <summary>
    /// A safety net: candles of its timeframe (counted in clock time, weekends included) after which a signal leaves
    /// the portfolio even if its outcome was never seen. Signals leave when their outcome resolves (target, stop or
    /// <c>max_bars_held</c>); keep this well above <c>max_bars_held</c> plus a weekend.
    /// </summary>
    public int MaxBarsOpen { get; set; } = 200;
}
