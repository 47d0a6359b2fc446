namespace SignalFlow.Domain;

/// <summary>
/// How an ingestion grain builds candles from a price stream that (re)connected at <see cref="StreamStart"/>:
/// which timeframes, aligned like OANDA's <c>dailyAlignment</c> / <c>alignmentTimezone</c>. A period already under
/// way at <see cref="StreamStart"/> was not fully observed, so it is left to the candle backfill. A candle closes
/// once the stream has delivered something stamped <see cref="CloseDelay"/> after its period ends, so that a price
/// stamped just before the boundary but sent just after another instrument's still counts.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TickAggregationPlan(
    [property: Id(0)] DateTime StreamStart,
    [property: Id(1)] IReadOnlyList<Timeframe> Timeframes,
    [property: Id(2)] int DailyAlignment = 17,
    [property: Id(3)] string AlignmentTimezone = "America/New_York",
    [property: Id(4)] TimeSpan CloseDelay = default);
