using SignalFlow.Domain;

namespace SignalFlow;

/// <summary>Names shared by producers and implicit subscribers of SignalFlow's streams.</summary>
public static class StreamNames
{
    /// <summary>The Orleans stream provider that carries candles.</summary>
    public const string Provider = "SignalFlow";

    /// <summary>Namespace of the closed-candle streams; the stream key is the series, e.g. <c>EUR_USD_H4</c>.</summary>
    public const string ClosedCandles = "candles.closed";

    public static StreamId ClosedCandlesOf(SeriesKey series) => StreamId.Create(ClosedCandles, series.ToString());
}
