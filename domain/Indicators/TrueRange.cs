using SignalFlow.Domain;

namespace SignalFlow.Indicators;

/// <summary>
/// <c>TR_t = max(high_t − low_t, |high_t − close_{t−1}|, |low_t − close_{t−1}|)</c>; the first candle has no previous
/// close, so <c>TR_0 = high_0 − low_0</c>. Ready from the first candle.
/// </summary>
public sealed class TrueRange : IIndicator<Candle>
{
    private double _previousClose = double.NaN;

    public int WarmUpPeriod => 1;

    public bool IsReady => Samples > 0;

    public double Current { get; private set; } = double.NaN;

    public long Samples { get; private set; }

    public static double Of(double high, double low, double previousClose) =>
        double.IsNaN(previousClose)
            ? high - low
            : Math.Max(high - low, Math.Max(Math.Abs(high - previousClose), Math.Abs(low - previousClose)));

    public void Update(Candle candle)
    {
        Current = Of(candle.High, candle.Low, _previousClose);
        _previousClose = candle.Close;
        Samples++;
    }

    public void Reset()
    {
        _previousClose = double.NaN;
        Current = double.NaN;
        Samples = 0;
    }

    public IndicatorState Snapshot() => new() { Samples = Samples, Values = [_previousClose, Current] };

    public void Restore(IndicatorState state)
    {
        InvalidIndicatorStateException.ThrowUnlessShaped(state, "true range", values: 2, parts: 0);
        Samples = state.Samples;
        _previousClose = state.Values[0];
        Current = state.Values[1];
    }
}
