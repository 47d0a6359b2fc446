namespace SignalFlow.Indicators;

/// <summary>
/// RSI(n), Wilder's: with <c>d_t = close_t − close_{t−1}</c>, the gains <c>max(d, 0)</c> and losses <c>max(−d, 0)</c>
/// are each smoothed by <see cref="WilderMovingAverage"/> (first value at t = n, the mean of t = 1 … n), and
/// <c>RSI = 100 − 100/(1 + avgGain/avgLoss)</c>; an average loss of 0 gives 100, and no gain and no loss give 50.
/// Exists from t = n, i.e. after n + 1 closes.
/// </summary>
public sealed class RelativeStrengthIndex : IIndicator<double>
{
    private readonly WilderMovingAverage _gains;
    private readonly WilderMovingAverage _losses;
    private double _previousClose = double.NaN;

    public RelativeStrengthIndex(int period)
    {
        _gains = new WilderMovingAverage(period);
        _losses = new WilderMovingAverage(period);
        Period = period;
    }

    public int Period { get; }

    /// <summary>The first close only sets the previous close: n changes need n + 1 closes.</summary>
    public int WarmUpPeriod => Period + 1;

    public bool IsReady => _gains.IsReady;

    public double Current => IsReady ? Of(_gains.Current, _losses.Current) : double.NaN;

    public long Samples { get; private set; }

    private string Name => $"RSI({Period})";

    /// <summary>RSI from the two averages, with the definitions for a zero average loss.</summary>
    public static double Of(double averageGain, double averageLoss) =>
        averageLoss == 0
            ? averageGain == 0 ? 50 : 100
            : 100 - (100 / (1 + (averageGain / averageLoss)));

    public void Update(double close)
    {
        IndicatorInput.RequireFinite(close, Name);
        if (Samples > 0)
        {
            var change = close - _previousClose;
            _gains.Update(Math.Max(change, 0));
            _losses.Update(Math.Max(-change, 0));
        }

        _previousClose = close;
        Samples++;
    }

    public void Reset()
    {
        _gains.Reset();
        _losses.Reset();
        _previousClose = double.NaN;
        Samples = 0;
    }

    public IndicatorState Snapshot() => new() { Samples = Samples, Values = [_previousClose], Parts = [_gains.Snapshot(), _losses.Snapshot()] };

    public void Restore(IndicatorState state)
    {
        InvalidIndicatorStateException.ThrowUnlessShaped(state, Name, values: 1, parts: 2);
        var changes = Math.Max(state.Samples - 1, 0);
        InvalidIndicatorStateException.ThrowIf(state.Parts.Any(p => p.Samples != changes), Name,
            $"averages of other than {changes} changes after {state.Samples} closes");
        _gains.Restore(state.Parts[0]);
        _losses.Restore(state.Parts[1]);
        _previousClose = state.Values[0];
        Samples = state.Samples;
    }
}
