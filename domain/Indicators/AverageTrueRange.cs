using SignalFlow.Domain;

namespace SignalFlow.Indicators;

/// <summary>How ATR averages the true range (<c>atr_smoothing</c>).</summary>
public enum AtrSmoothing
{
    /// <summary>SMA of TR over n candles: the legacy rule and the default.</summary>
    Simple,

    /// <summary>Wilder's smoothing: mean of the first n TRs, then <c>(ATR·(n−1) + TR)/n</c>.</summary>
    Wilder,
}

/// <summary>ATR(n): the true range averaged by <see cref="AtrSmoothing"/>. Exists from the n-th candle on.</summary>
public sealed class AverageTrueRange : IIndicator<Candle>
{
    private readonly TrueRange _trueRange = new();
    private readonly IIndicator<double> _average;

    public AverageTrueRange(int period, AtrSmoothing smoothing = AtrSmoothing.Simple)
    {
        Period = period;
        Smoothing = smoothing;
        _average = smoothing == AtrSmoothing.Wilder ? new WilderMovingAverage(period) : new SimpleMovingAverage(period);
    }

    public int Period { get; }

    public AtrSmoothing Smoothing { get; }

    public int WarmUpPeriod => Period;

    public bool IsReady => _average.IsReady;

    public double Current => _average.Current;

    public long Samples => _trueRange.Samples;

    public void Update(Candle candle)
    {
        _trueRange.Update(candle);
        _average.Update(_trueRange.Current);
    }

    public void Reset()
    {
        _trueRange.Reset();
        _average.Reset();
    }

    public IndicatorState Snapshot() => new() { Samples = Samples, Parts = [_trueRange.Snapshot(), _average.Snapshot()] };

    public void Restore(IndicatorState state)
    {
        InvalidIndicatorStateException.ThrowUnlessShaped(state, $"ATR({Period}, {Smoothing})", values: 0, parts: 2);
        _trueRange.Restore(state.Parts[0]);
        _average.Restore(state.Parts[1]);
    }
}
