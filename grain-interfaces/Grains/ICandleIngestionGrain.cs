using SignalFlow.Domain;

namespace SignalFlow.Grains;

/// <summary>
/// One per instrument (key: <c>EUR_USD</c>). Validates closed candles, drops duplicates and out-of-order candles,
/// and publishes each accepted candle once on the stream of its series.
/// </summary>
public interface ICandleIngestionGrain : IGrainWithStringKey
{
    /// <summary>Publishes candles in the given order; one result per candle, in the same order.</summary>
    Task<IReadOnlyList<CandleIngestResult>> PublishClosedCandlesAsync(IReadOnlyList<Candle> candles);

    Task<IngestionStats> GetStatsAsync();

    /// <summary>
    /// Starts, or after a reconnect restarts, building candles from ticks. Open candles saw a gap and are dropped;
    /// periods under way at the stream's start are left to the candle backfill.
    /// </summary>
    Task BeginLiveAggregationAsync(TickAggregationPlan plan);

    /// <summary>
    /// Aggregates ticks (in stream order) into the open candles of every planned timeframe, then advances the stream
    /// time as <see cref="AdvanceStreamTimeAsync"/> does. A candle is published through the same gate as
    /// <see cref="PublishClosedCandlesAsync"/> once its period has ended: by a later tick of the instrument, or once
    /// the stream is known to have delivered everything up to its end.
    /// </summary>
    /// <param name="ticks">This instrument's prices from one read of the stream, oldest first.</param>
    /// <param name="streamTime">The newest time stamped on anything that read delivered, of any instrument or a heartbeat (UTC).</param>
    Task<TickIngestResult> PublishTicksAsync(IReadOnlyList<PriceTick> ticks, DateTime streamTime);

    /// <summary>
    /// Tells the grain that the current connection has delivered everything stamped before <paramref name="streamTime"/>
    /// (UTC), which closes the candles whose period ended by then. Candles are never closed on the clock alone: a
    /// stalled or dead stream would close them without their last ticks. The feed calls this when its stream passes
    /// the <see cref="TickIngestResult.NextCloseTime"/> the grain last returned.
    /// </summary>
    Task<TickIngestResult> AdvanceStreamTimeAsync(DateTime streamTime);

    Task<TickAggregationStats> GetTickStatsAsync();
}

/// <summary>
/// How one batch of ticks fared: <see cref="Rejected"/> counts by reason (e.g. <c>duplicate</c>);
/// <see cref="NextCloseTime"/> is the stream time at which the earliest open candle can close (null: none open).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TickIngestResult(
    [property: Id(0)] int Accepted,
    [property: Id(1)] IReadOnlyDictionary<string, int> Rejected,
    [property: Id(2)] int CandlesClosed,
    [property: Id(3)] DateTime? NextCloseTime);

/// <summary>
/// Tick counters since the grain's state was created, the candles being built, and how far the current connection
/// is known to have delivered (<see cref="StreamTime"/>): an open candle whose period has ended waits for the
/// stream to pass its end.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TickAggregationStats(
    [property: Id(0)] long Accepted,
    [property: Id(1)] IReadOnlyDictionary<string, long> Rejected,
    [property: Id(2)] DateTime? LastTickTime,
    [property: Id(3)] IReadOnlyList<Candle> OpenCandles,
    [property: Id(4)] int PendingClosedCandles,
    [property: Id(5)] DateTime? StreamTime);

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
