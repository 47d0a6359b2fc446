namespace SignalFlow.Indicators;

/// <summary>
/// The legacy strategy's ATR: the <b>simple</b> mean of true range over <c>period</c> candles (not Wilder's
/// smoothing). The first candle ever seen has no previous close, so its true range is <c>high - low</c>.
/// </summary>
public sealed class LegacyAverageTrueRange
{
    private readonly SimpleMovingAverage _mean;
    private readonly RollingWindow<double> _trueRanges;

    public LegacyAverageTrueRange(int period)
    {
        _mean = new SimpleMovingAverage(period);
        _trueRanges = new RollingWindow<double>(period);
    }

    public int Period => _mean.Period;

    public int WarmUpPeriod => Period;

    public bool IsReady => _mean.IsReady;

    public double Current => _mean.Current;

    public double? PreviousClose { get; private set; }

    public static double TrueRange(double high, double low, double? previousClose) =>
        previousClose is { } close
            ? Math.Max(high - low, Math.Max(Math.Abs(high - close), Math.Abs(low - close)))
            : high - low;

    public void Update(double high, double low, double close)
    {
        var trueRange = TrueRange(high, low, PreviousClose);
        _mean.Update(trueRange);
        _trueRanges.Add(trueRange);
        PreviousClose = close;
    }

    /// <summary>Restores the state captured by <see cref="TrueRangesOldestFirst"/> and <see cref="PreviousClose"/>.</summary>
    public void Restore(IEnumerable<double> trueRangesOldestFirst, double? previousClose)
    {
        foreach (var trueRange in trueRangesOldestFirst)
        {
            _mean.Update(trueRange);
            _trueRanges.Add(trueRange);
        }

        PreviousClose = previousClose;
    }

    public double[] TrueRangesOldestFirst() => _trueRanges.ToArrayOldestFirst();
}
