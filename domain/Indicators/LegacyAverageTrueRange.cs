namespace SignalFlow.Indicators;

/// <summary>
/// The legacy strategy's ATR: the <b>simple</b> mean of true range over <c>period</c> candles (not Wilder's
/// smoothing). The first candle ever seen has no previous close, so its true range is <c>high - low</c>.
/// </summary>
public sealed class LegacyAverageTrueRange
{
    private readonly SimpleMovingAverage _mean;

    public LegacyAverageTrueRange(int period) => _mean = new SimpleMovingAverage(period);

    public int Period => _mean.Period;

    public int WarmUpPeriod => Period;

    public bool IsReady => _mean.IsReady;

    public double Current => _mean.Current;

    public double? PreviousClose { get; private set; }

    /// <summary>The running sum of true ranges, persisted so a restored ATR continues bit for bit.</summary>
    public double Sum => _mean.Sum;

    public long Samples => _mean.Samples;

    public static double TrueRange(double high, double low, double? previousClose) =>
        previousClose is { } close
            ? Math.Max(high - low, Math.Max(Math.Abs(high - close), Math.Abs(low - close)))
            : high - low;

    public void Update(double high, double low, double close)
    {
        var trueRange = TrueRange(high, low, PreviousClose);
        _mean.Update(trueRange);
        PreviousClose = close;
    }

    /// <summary>Restores the state captured by <see cref="TrueRangesOldestFirst"/>, <see cref="Sum"/>, <see cref="Samples"/> and <see cref="PreviousClose"/>.</summary>
    public void Restore(ReadOnlySpan<double> trueRangesOldestFirst, double sum, long samples, double? previousClose)
    {
        _mean.Restore(trueRangesOldestFirst, sum, samples);
        PreviousClose = previousClose;
    }

    public double[] TrueRangesOldestFirst() => _mean.WindowOldestFirst();
}
