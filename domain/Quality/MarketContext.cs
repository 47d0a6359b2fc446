using System.Text.Json.Serialization;
using SignalFlow.Domain;
using SignalFlow.Indicators;

namespace SignalFlow.Quality;

/// <summary>The market a series is in (docs/signal-quality.md, "Regime").</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MarketRegime>))]
public enum MarketRegime
{
    [JsonStringEnumMemberName("trending")]
    Trending,

    [JsonStringEnumMemberName("ranging")]
    Ranging,

    [JsonStringEnumMemberName("volatile")]
    Volatile,
}

/// <summary>
/// A series' market context after a closed candle: trend strength (ADX/DMI), the ATR and its percentile among the
/// last <see cref="MarketContextTracker.PercentileWindow"/> ATR values, and the regime those give. Null figures do not
/// exist yet (warm-up).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record MarketContext(
    [property: Id(0)] double? Adx,
    [property: Id(1)] double? PlusDi,
    [property: Id(2)] double? MinusDi,
    [property: Id(3)] double? Atr,
    [property: Id(4)] double? AtrPercentile,
    [property: Id(5)] MarketRegime? Regime)
{
    public static readonly MarketContext Unknown = new(null, null, null, null, null, null);

    /// <summary>ADX at or above this is a trend (Wilder's own threshold, the one charting tools draw).</summary>
    public const double TrendingAdx = 25;

    /// <summary>An ATR at or above this percentile of its recent values is a volatile market, whatever the trend.</summary>
    public const double VolatilePercentile = 0.9;

    /// <summary>
    /// <c>volatile</c> when the ATR percentile is ≥ <see cref="VolatilePercentile"/> (checked first: a spike dominates
    /// the trend reading), else <c>trending</c> when ADX ≥ <see cref="TrendingAdx"/>, else <c>ranging</c>; null while
    /// either figure is missing.
    /// </summary>
    public static MarketRegime? Classify(double? adx, double? atrPercentile) =>
        adx is not { } a || atrPercentile is not { } p ? null
        : p >= VolatilePercentile ? MarketRegime.Volatile
        : a >= TrendingAdx ? MarketRegime.Trending
        : MarketRegime.Ranging;
}

/// <summary>
/// Keeps a series' <see cref="MarketContext"/> up to date, one closed candle at a time in O(window): ADX(14), ATR(14)
/// (Wilder's smoothing, independent of any strategy's <c>atr_period</c>), and the ATR's <see cref="PercentileRank"/>
/// among its last 100 values. Its state persists with the strategies' (<see cref="Snapshot"/>).
/// </summary>
public sealed class MarketContextTracker : IStateful
{
    public const int Period = 14;
    public const int PercentileWindow = 100;

    private readonly AverageDirectionalIndex _adx = new(Period);
    private readonly AverageTrueRange _atr = new(Period, AtrSmoothing.Wilder);
    private readonly PercentileRank _atrPercentile = new(PercentileWindow);

    /// <summary>
    /// Stored candles a fresh tracker reads before its first live candle: forty periods for the Wilder averages (their
    /// seed's weight is then below what a double resolves) plus the percentile's window of ATR values.
    /// </summary>
    public static int HistoryCandles => (40 * Period) + PercentileWindow;

    public long Samples => _adx.Samples;

    public MarketContext Current { get; private set; } = MarketContext.Unknown;

    public void Update(Candle candle)
    {
        _adx.Update(candle);
        _atr.Update(candle);
        if (_atr.IsReady)
        {
            _atrPercentile.Update(_atr.Current);
        }

        Current = Read();
    }

    public IndicatorState Snapshot() => new() { Samples = Samples, Parts = [_adx.Snapshot(), _atr.Snapshot(), _atrPercentile.Snapshot()] };

    public void Restore(IndicatorState state)
    {
        InvalidIndicatorStateException.ThrowUnlessShaped(state, "market context", values: 0, parts: 3);
        _adx.Restore(state.Parts[0]);
        _atr.Restore(state.Parts[1]);
        _atrPercentile.Restore(state.Parts[2]);
        Current = Read();
    }

    private MarketContext Read()
    {
        static double? Defined(double value) => double.IsNaN(value) ? null : value;
        double? adx = Defined(_adx.Current), percentile = Defined(_atrPercentile.Current);
        return new MarketContext(adx, Defined(_adx.PlusDi), Defined(_adx.MinusDi), Defined(_atr.Current), percentile,
            MarketContext.Classify(adx, percentile));
    }
}
