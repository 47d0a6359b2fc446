using SignalFlow.Domain;

namespace SignalFlow.Grains;

/// <summary>
/// One per series (key: <c>EUR_USD_H4</c>), activated by the implicit subscription to that series' closed-candle
/// stream; hosts every strategy configured for the series. Placed by its series key (<c>SeriesSpreadPlacement</c>), so
/// series spread over the cluster whichever silo's stream agent first delivers to them.
/// </summary>
public interface IStrategyGrain : IGrainWithStringKey
{
    Task<StrategySeriesStatus> GetStatusAsync();

    /// <summary>
    /// Processes the candles stored after the last one this grain processed, through <paramref name="through"/>: those
    /// lost with a dead silo's stream queue when no later candle has arrived to reveal the gap. Does nothing before the
    /// first candle is processed, and reads nothing when the grain has already processed <paramref name="through"/>.
    /// </summary>
    Task<StrategySeriesStatus> CatchUpAsync(DateTime through);

    /// <summary>
    /// Runs <paramref name="strategies"/> from now on (the series' set after a runtime change): a strategy whose
    /// settings are unchanged keeps its state, a changed one keeps its indicator state when its windows are the same and
    /// otherwise warms up afresh from the stored candles, a new one warms up from the stored candles, a missing one stops.
    /// </summary>
    Task<StrategySeriesStatus> ReconfigureAsync(IReadOnlyList<StrategySettings> strategies);

    /// <summary>
    /// The live path: the series' candles its ingestion grain has just stored and published, handed over directly so
    /// they are processed without waiting for the stream's polling. Candles at or before the last processed one are
    /// ignored (the stream's copy of them came first); the stream's copy of candles processed here is skipped.
    /// </summary>
    Task DeliverAsync(ClosedCandleBatch batch);
}

/// <summary>
/// Closed candles of one series, oldest first, as ingestion stored them. <paramref name="PreviousTime"/> is the
/// series' newest stored candle before the first of them when ingestion knows it (null: unknown, e.g. the first batch
/// after ingestion's activation): the store holds nothing between it and the first candle, so a strategy grain that
/// has processed it need not read the store across a weekend gap.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ClosedCandleBatch(
    [property: Id(0)] IReadOnlyList<Candle> Candles,
    [property: Id(1)] DateTime? PreviousTime);

[GenerateSerializer, Immutable]
public sealed record StrategySeriesStatus(
    [property: Id(0)] string Series,
    [property: Id(1)] DateTime? LastCandleTime,
    [property: Id(2)] long CandlesProcessed,
    [property: Id(3)] long StaleCandlesIgnored,
    [property: Id(4)] IReadOnlyList<StrategyStatus> Strategies,
    [property: Id(5)] string Silo,
    [property: Id(6)] Quality.MarketContext? Context = null);

[GenerateSerializer, Immutable]
public sealed record StrategyStatus(
    [property: Id(0)] string StrategyId,
    [property: Id(1)] bool IsReady,
    [property: Id(2)] long CandlesSeen,
    [property: Id(3)] int WarmUpCandles,
    [property: Id(4)] long SignalsEmitted,
    [property: Id(5)] string Kind);
