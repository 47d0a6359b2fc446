namespace SignalFlow.Indicators;

/// <summary>
/// EMA(n), the SMA-seeded exponential average TA-Lib and most charting tools show: α = 2/(n+1); the first value, after
/// n inputs, is their mean; after that <c>EMA_t = α·x_t + (1−α)·EMA_{t−1}</c>.
/// </summary>
public sealed class ExponentialMovingAverage : SeededAverage
{
    private readonly double _complement;

    public ExponentialMovingAverage(int period)
        : base(period)
    {
        Alpha = 2.0 / (period + 1);
        _complement = 1 - Alpha;
    }

    public double Alpha { get; }

    public override string Name => $"EMA({Period})";

    protected override double Fold(double previous, double value) => (Alpha * value) + (_complement * previous);
}
