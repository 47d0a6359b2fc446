namespace SignalFlow.Indicators;

/// <summary>
/// Where the newest value stands among the last n values (itself included), from 0 (the lowest) to 1 (the highest):
/// <c>(below + (equal − 1)/2)/(n − 1)</c>, where <c>below</c> counts the window's values under the newest and
/// <c>equal</c> those equal to it (itself included). Ties share the middle of their ranks, so a flat window gives 0.5
/// rather than pretending the value is the lowest. Ready once the window holds n values; O(n) per update.
/// </summary>
public sealed class PercentileRank : IIndicator<double>
{
    /// <summary>
    /// The window's values as a ring: the n-th input at <c>n % Period</c>. Counting needs no order, so this one array is
    /// the whole window (no second, ordered copy per series); <see cref="Snapshot"/> reads it oldest first.
    /// </summary>
    private readonly double[] _values;

    public PercentileRank(int period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 2);
        Period = period;
        _values = new double[period];
    }

    public int Period { get; }

    public int WarmUpPeriod => Period;

    public bool IsReady => Samples >= Period;

    public double Current { get; private set; } = double.NaN;

    public long Samples { get; private set; }

    /// <summary>The rank of <paramref name="value"/> among <paramref name="window"/> (which holds it), by the definition above.</summary>
    public static double Of(double value, ReadOnlySpan<double> window)
    {
        int below = 0, equal = 0;
        foreach (var other in window)
        {
            below += other < value ? 1 : 0;
            equal += other == value ? 1 : 0;
        }

        return (below + ((equal - 1) / 2.0)) / (window.Length - 1);
    }

    public void Update(double value)
    {
        IndicatorInput.RequireFinite(value, Name);
        _values[Samples % Period] = value;
        Samples++;
        Current = IsReady ? Of(value, _values) : double.NaN;
    }

    public void Reset()
    {
        Array.Clear(_values);
        Current = double.NaN;
        Samples = 0;
    }

    public IndicatorState Snapshot()
    {
        var window = new double[Math.Min(Samples, Period)];
        for (var i = 0; i < window.Length; i++)
        {
            window[i] = _values[(Samples - window.Length + i) % Period];
        }

        return new() { Samples = Samples, Window = window, Values = [Current] };
    }

    public void Restore(IndicatorState state)
    {
        InvalidIndicatorStateException.ThrowUnlessShaped(state, Name, values: 1, parts: 0);
        InvalidIndicatorStateException.ThrowIf(state.Window.Length != Math.Min(state.Samples, Period), Name,
            $"{state.Window.Length} window values after {state.Samples} samples");
        for (var i = 0; i < state.Window.Length; i++)
        {
            _values[(state.Samples - state.Window.Length + i) % Period] = state.Window[i];
        }

        Current = state.Values[0];
        Samples = state.Samples;
    }

    private string Name => $"percentile rank({Period})";
}
