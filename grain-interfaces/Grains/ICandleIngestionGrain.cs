using SignalFlow.Domain;

namespace SignalFlow.Grains;

/// <summary>
/// One per instrument (key: <c>EUR_USD</c>). Validates closed candles, drops duplicates and out-of-order candles,
/// and publishes each accepted candle once on the stream of its series.
/// </summary>
public interface ICandleIngestionGrain : IGrainWithStringKey
{
    Task<CandleIngestResult> PublishClosedCandleAsync(Candle candle);

    /// <summary>Publishes candles in the given order; one result per candle, in the same order.</summary>
    Task<IReadOnlyList<CandleIngestResult>> PublishClosedCandlesAsync(IReadOnlyList<Candle> candles);

    Task<IngestionStats> GetStatsAsync();
}

public enum CandleIngestOutcome
{
    Published,
    Duplicate,
    OutOfOrder,
    Invalid,
}

[GenerateSerializer, Immutable]
public sealed record CandleIngestResult(
    [property: Id(0)] CandleIngestOutcome Outcome,
    [property: Id(1)] string? Reason = null)
{
    public static readonly CandleIngestResult Published = new(CandleIngestOutcome.Published);
}

/// <summary>Counters per timeframe since the grain's state was created.</summary>
[GenerateSerializer, Immutable]
public sealed record IngestionStats(
    [property: Id(0)] string Instrument,
    [property: Id(1)] IReadOnlyDictionary<string, SeriesIngestionStats> ByTimeframe)
{
    public long Total(Func<SeriesIngestionStats, long> counter) => ByTimeframe.Values.Sum(counter);
}

[GenerateSerializer, Immutable]
public sealed record SeriesIngestionStats(
    [property: Id(0)] DateTime? LastPublishedCandleTime,
    [property: Id(1)] long Published,
    [property: Id(2)] long Duplicates,
    [property: Id(3)] long OutOfOrder,
    [property: Id(4)] long Invalid);
