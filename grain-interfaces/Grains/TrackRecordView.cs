using SignalFlow.Domain;
using SignalFlow.Outcomes;

namespace SignalFlow.Grains;

/// <summary>Which stored signals a track record covers (null filters match everything) and its recent window.</summary>
[GenerateSerializer, Immutable]
public sealed record TrackRecordQuery(
    [property: Id(0)] Instrument? Instrument = null,
    [property: Id(1)] Timeframe? Timeframe = null,
    [property: Id(2)] string? StrategyId = null,
    [property: Id(3)] int Last = TrackRecordQuery.DefaultLast)
{
    public const int DefaultLast = 20;
    public const int MaxLast = 1000;
}

/// <summary>
/// Track records computed from the signal store's signals and their recorded outcomes: per strategy and per
/// instrument/timeframe, over all time and over the last <see cref="Last"/> resolved signals.
/// </summary>
/// <param name="SignalsRead">Stored signals the figures are over.</param>
/// <param name="Truncated">More signals matched than are read at once: the figures are over the newest <see cref="SignalsRead"/>.</param>
[GenerateSerializer, Immutable]
public sealed record TrackRecordView(
    [property: Id(0)] int Last,
    [property: Id(1)] int SignalsRead,
    [property: Id(2)] bool Truncated,
    [property: Id(3)] IReadOnlyList<TrackRecordLine> Strategies,
    [property: Id(4)] IReadOnlyList<TrackRecordLine> Series);

/// <param name="Name">The strategy id, or the series (e.g. <c>EUR_USD_H4</c>).</param>
[GenerateSerializer, Immutable]
public sealed record TrackRecordLine(
    [property: Id(0)] string Name,
    [property: Id(1)] OutcomeStatistics AllTime,
    [property: Id(2)] OutcomeStatistics Recent);
