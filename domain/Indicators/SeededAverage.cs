namespace SignalFlow.Indicators;

/// <summary>
/// An average whose first value, after n inputs, is their mean and which then folds each new input into its previous
/// value: the shape EMA and Wilder's smoothing share (they differ only in <see cref="Fold"/>). The seed is summed in
/// input order and the fold is written as its definition, so the values are those of the formula, bit for bit.
/// </summary>
public abstract class SeededAverage : IIndicator<double>
{
    private double _seedSum;
    private double _average = double.NaN;

    protected SeededAverage(int period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        Period = period;
    }

    public int Period { get; }

    public int WarmUpPeriod => Period;

    public bool IsReady => Samples >= Period;

    public double Current => _average;

    public long Samples { get; private set; }

    /// <summary>The indicator's name in errors, e.g. <c>EMA(12)</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The next value from the previous one and the new input.</summary>
    protected abstract double Fold(double previous, double value);

    public void Update(double value)
    {
        IndicatorInput.RequireFinite(value, Name);
        Samples++;
        if (Samples <= Period)
        {
            _seedSum += value;
            if (Samples == Period)
            {
                _average = _seedSum / Period;
            }
        }
        else
        {
            _average = Fold(_average, value);
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
        InvalidIndicatorStateException.ThrowUnlessShaped(state, Name, values: 2, parts: 0);
        InvalidIndicatorStateException.ThrowIf(double.IsNaN(state.Values[1]) != (state.Samples < Period), Name,
            $"an average of {state.Values[1]} after {state.Samples} samples");
        Samples = state.Samples;
        _seedSum = state.Values[0];
        _average = state.Values[1];
    }
}

/// <summary>Checks shared by the indicators that take prices.</summary>
internal static class IndicatorInput
{
    /// <summary>A NaN or infinity would poison every later value of an indicator that never forgets, so it is refused.</summary>
    public static void RequireFinite(double value, string indicator)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"{indicator} input must be finite.");
        }
    }
}
