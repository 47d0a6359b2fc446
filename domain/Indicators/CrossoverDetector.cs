using SignalFlow.Domain;

namespace SignalFlow.Indicators;

/// <summary>
/// Detects a crossing of two lines between the previous and the current candle: BUY when the first rises above the
/// second (<c>a &gt; b</c> now, <c>a &lt;= b</c> before), SELL mirrored. Any NaN (a value not yet existing on either
/// candle) compares false, so nothing is detected until both lines exist on two consecutive candles.
/// </summary>
public sealed class CrossoverDetector : IStateful
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

    public IndicatorState Snapshot() => new() { Values = [PreviousFast, PreviousSlow] };

    public void Restore(IndicatorState state)
    {
        InvalidIndicatorStateException.ThrowUnlessShaped(state, "crossover", values: 2, parts: 0);
        PreviousFast = state.Values[0];
        PreviousSlow = state.Values[1];
    }
}
