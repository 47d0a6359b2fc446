namespace SignalFlow.Indicators;

/// <summary>
/// MACD(f, s, g): <c>macd_t = EMA(f)_t − EMA(s)_t</c>, existing where both EMAs do (t ≥ max(f, s) − 1); the signal line
/// is an <see cref="ExponentialMovingAverage"/>(g) over the macd values, so its first value is the mean of the first g
/// of them; <c>histogram = macd − signal</c>. Ready (and <see cref="Current"/>, the macd line, defined) once all three
/// lines exist; <see cref="Macd"/> itself exists g − 1 inputs earlier.
/// </summary>
public sealed class MovingAverageConvergenceDivergence : IIndicator<double>
{
    private readonly ExponentialMovingAverage _fast;
    private readonly ExponentialMovingAverage _slow;
    private readonly ExponentialMovingAverage _signal;

    public MovingAverageConvergenceDivergence(int fastPeriod, int slowPeriod, int signalPeriod)
    {
        _fast = new ExponentialMovingAverage(fastPeriod);
        _slow = new ExponentialMovingAverage(slowPeriod);
        _signal = new ExponentialMovingAverage(signalPeriod);
    }

    public int FastPeriod => _fast.Period;

    public int SlowPeriod => _slow.Period;

    public int SignalPeriod => _signal.Period;

    public int WarmUpPeriod => Math.Max(FastPeriod, SlowPeriod) + SignalPeriod - 1;

    public bool IsReady => _signal.IsReady;

    public double Current => IsReady ? Macd : double.NaN;

    public long Samples => _fast.Samples;

    /// <summary>The macd line; NaN until both EMAs exist. Derived from the EMAs, so restoring them restores it exactly.</summary>
    public double Macd => _fast.Current - _slow.Current;

    /// <summary>The signal line; NaN until g macd values have been seen.</summary>
    public double Signal => _signal.Current;

    public double Histogram => Macd - Signal;

    public void Update(double close)
    {
        _fast.Update(close);
        _slow.Update(close);
        if (_fast.IsReady && _slow.IsReady)
        {
            _signal.Update(Macd);
        }
    }

    public void Reset()
    {
        _fast.Reset();
        _slow.Reset();
        _signal.Reset();
    }

    public IndicatorState Snapshot() => new() { Samples = Samples, Parts = [_fast.Snapshot(), _slow.Snapshot(), _signal.Snapshot()] };

    public void Restore(IndicatorState state)
    {
        var name = $"MACD({FastPeriod}, {SlowPeriod}, {SignalPeriod})";
        InvalidIndicatorStateException.ThrowUnlessShaped(state, name, values: 0, parts: 3);
        var macdValues = Math.Max(state.Samples - Math.Max(FastPeriod, SlowPeriod) + 1, 0);
        InvalidIndicatorStateException.ThrowIf(
            state.Parts[0].Samples != state.Samples || state.Parts[1].Samples != state.Samples || state.Parts[2].Samples != macdValues,
            name, $"parts of other lengths than {state.Samples} closes give");
        _fast.Restore(state.Parts[0]);
        _slow.Restore(state.Parts[1]);
        _signal.Restore(state.Parts[2]);
    }
}
