namespace SignalFlow.Indicators;

/// <summary>
/// SMA(n): arithmetic mean of the last <see cref="Period"/> values, updated in O(1) with a running sum. Not ready (NaN)
/// until the window is full, as pandas' <c>rolling(period).mean()</c>.
/// </summary>
public sealed class SimpleMovingAverage : IIndicator<double>
{
    private RollingWindow<double> _window;
    private double _sum;

    public SimpleMovingAverage(int period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        Period = period;
        _window = new RollingWindow<double>(period);
    }

    public int Period { get; }

    public int WarmUpPeriod => Period;

    public bool IsReady => _window.IsFull;

    public double Current => IsReady ? _sum / Period : double.NaN;

    public long Samples { get; private set; }

    public void Update(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Moving average input must be finite.");
        }

        _window.Add(value);
        _sum += value - (Samples >= Period ? _window.MostRecentlyRemoved : 0.0);
        Samples++;

        // Add/subtract leaves rounding residue that would grow over years of candles; re-adding the window once per
        // period keeps the sum exact to a few ulps at an amortised O(1) cost. The phase follows Samples, which is
        // restored, so a restored average re-adds on the same updates as an uninterrupted one.
        if (Samples % Period == 0)
        {
            _sum = 0;
            for (var i = 0; i < _window.Count; i++)
            {
                _sum += _window[i];
            }
        }
    }

    public void Reset()
    {
        _window = new RollingWindow<double>(Period);
        _sum = 0;
        Samples = 0;
    }

    /// <summary>The window and the running sum exactly as accumulated, so a restored average continues bit for bit.</summary>
    public IndicatorState Snapshot() => new() { Samples = Samples, Window = _window.ToArrayOldestFirst(), Values = [_sum] };

    public void Restore(IndicatorState state)
    {
        var name = $"SMA({Period})";
        InvalidIndicatorStateException.ThrowUnlessShaped(state, name, values: 1, parts: 0);
        InvalidIndicatorStateException.ThrowIf(Samples != 0, name, "it has already seen values");
        InvalidIndicatorStateException.ThrowIf(state.Window.Length != Math.Min(state.Samples, Period), name,
            $"{state.Window.Length} window values after {state.Samples} samples");
        foreach (var value in state.Window)
        {
            _window.Add(value);
        }

        _sum = state.Values[0];
        Samples = state.Samples;
    }
}
