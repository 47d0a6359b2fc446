namespace SignalFlow.Indicators;

/// <summary>
/// Arithmetic mean of the last <see cref="Period"/> values, updated in O(1) with a running sum. Not ready (NaN)
/// until the window is full, as pandas' <c>rolling(period).mean()</c>.
/// </summary>
public sealed class SimpleMovingAverage
{
    private readonly RollingWindow<double> _window;
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

    /// <summary>
    /// The running sum exactly as accumulated. Persisted with the window, so a restored average continues bit for
    /// bit like the uninterrupted one (a failover can neither shift a price nor flip a crossover decided by an ulp).
    /// </summary>
    public double Sum => _sum;

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

    /// <summary>The values in the window, oldest first: what a persisted snapshot needs to restore this average.</summary>
    public double[] WindowOldestFirst() => _window.ToArrayOldestFirst();

    /// <summary>Restores the state captured by <see cref="WindowOldestFirst"/>, <see cref="Sum"/> and <see cref="Samples"/>.</summary>
    public void Restore(ReadOnlySpan<double> windowOldestFirst, double sum, long samples)
    {
        if (Samples != 0 || windowOldestFirst.Length > Period || windowOldestFirst.Length != Math.Min(samples, Period))
        {
            throw new ArgumentException($"Cannot restore a {Period}-period average from {windowOldestFirst.Length} values after {samples} samples.");
        }

        foreach (var value in windowOldestFirst)
        {
            _window.Add(value);
        }

        _sum = sum;
        Samples = samples;
    }
}
