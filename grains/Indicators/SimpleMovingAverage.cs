namespace SignalFlow.Indicators;

/// <summary>
/// Arithmetic mean of the last <see cref="Period"/> values. Not ready (NaN) until the window is full, as pandas'
/// <c>rolling(period).mean()</c>.
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

    public void Update(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Moving average input must be finite.");
        }

        _window.Add(value);
        Samples++;

        // Summed afresh in window order on every update (O(period), negligible at candle rates) rather than kept as a
        // running sum: the mean is then a pure function of the window's values, so an average restored from a
        // persisted window (a grain reactivated on another silo) yields bit for bit what an uninterrupted one does,
        // and a failover can neither change a signal's prices nor flip a crossover decided by the last ulp.
        _sum = 0;
        for (var i = 0; i < _window.Count; i++)
        {
            _sum += _window[i];
        }
    }

    /// <summary>The values in the window, oldest first: what a persisted snapshot needs to restore this average.</summary>
    public double[] WindowOldestFirst() => _window.ToArrayOldestFirst();
}
