namespace SignalFlow.Indicators;

/// <summary>
/// Wilder's smoothing of period n: the first value, after n inputs, is their mean; after that
/// <c>avg_t = (avg_{t-1}·(n−1) + x_t)/n</c>. Used by ATR (<c>wilder</c>) and RSI.
/// </summary>
public sealed class WilderMovingAverage : IIndicator<double>
{
    private double _seedSum;
    private double _average = double.NaN;

    public WilderMovingAverage(int period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        Period = period;
    }

    public int Period { get; }

    public int WarmUpPeriod => Period;

    public bool IsReady => Samples >= Period;

    public double Current => _average;

    public long Samples { get; private set; }

    public void Update(double value)
    {
        Samples++;
        if (Samples < Period)
        {
            _seedSum += value;
        }
        else if (Samples == Period)
        {
            _seedSum += value;
            _average = _seedSum / Period;
        }
        else
        {
            _average = ((_average * (Period - 1)) + value) / Period;
        }
    }

    public void Reset()
    {
        _seedSum = 0;
        _average = double.NaN;
        Samples = 0;
    }

    public IndicatorState Snapshot() => new() { Samples = Samples, Values = [_seedSum, _average] };

    public void Restore(IndicatorState state)
    {
        InvalidIndicatorStateException.ThrowUnlessShaped(state, $"Wilder average({Period})", values: 2, parts: 0);
        Samples = state.Samples;
        _seedSum = state.Values[0];
        _average = state.Values[1];
    }
}
