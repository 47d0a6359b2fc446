namespace SignalFlow.Indicators;

/// <summary>
/// Wilder's smoothing of period n: the first value, after n inputs, is their mean; after that
/// <c>avg_t = (avg_{t-1}·(n−1) + x_t)/n</c>. Used by ATR (<c>wilder</c>) and RSI.
/// </summary>
public sealed class WilderMovingAverage(int period) : SeededAverage(period)
{
    public override string Name => $"Wilder average({Period})";

    protected override double Fold(double previous, double value) => ((previous * (Period - 1)) + value) / Period;
}
