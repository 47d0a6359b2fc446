using SignalFlow.Domain;

namespace SignalFlow.Indicators;

/// <summary>
/// Detects a fast/slow crossing between the previous and the current candle: BUY when fast rises above slow
/// (<c>fast &gt; slow</c> now, <c>fast &lt;= slow</c> before), SELL mirrored. Any NaN (an average not yet ready on
/// either candle) compares false, so nothing is detected until both averages exist on two consecutive candles.
/// </summary>
public sealed class CrossoverDetector
{
    public double PreviousFast { get; private set; } = double.NaN;

    public double PreviousSlow { get; private set; } = double.NaN;

    public bool IsReady => !double.IsNaN(PreviousFast) && !double.IsNaN(PreviousSlow);

    public SignalDirection? Update(double fast, double slow)
    {
        SignalDirection? crossing =
            fast > slow && PreviousFast <= PreviousSlow ? SignalDirection.Buy
            : fast < slow && PreviousFast >= PreviousSlow ? SignalDirection.Sell
            : null;
        PreviousFast = fast;
        PreviousSlow = slow;
        return crossing;
    }

    public void Restore(double previousFast, double previousSlow)
    {
        PreviousFast = previousFast;
        PreviousSlow = previousSlow;
    }
}
