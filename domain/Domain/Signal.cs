using System.Globalization;

namespace SignalFlow.Domain;

/// <summary>Legacy encoding: BUY is 1 and SELL is -1 in the stored <c>signal</c> field.</summary>
public enum SignalDirection
{
    Sell = -1,
    Buy = 1,
}

/// <summary>
/// A trading signal: every field the legacy service stored (<see cref="SlowMa"/> and <see cref="FastMa"/> null for kinds
/// without moving averages), a deterministic <see cref="Id"/>, the strategy and its <see cref="Kind"/>, and the
/// <see cref="Indicators"/> the kind reports at the signal candle, and its <see cref="Confidence"/> with the
/// <see cref="ConfidenceFactors"/> it is the weighted sum of (docs/signal-quality.md). The one shape of a signal: grain calls, streams,
/// the outbox and the spool carry it as it is; <c>SignalJson</c> and the MongoDB document are its two written forms.
/// </summary>
[GenerateSerializer, Immutable]
[System.Text.Json.Serialization.JsonConverter(typeof(Signals.SignalJson))]
public sealed record Signal(
    [property: Id(0)] string Id,
    [property: Id(1)] string StrategyId,
    [property: Id(2)] Instrument Instrument,
    [property: Id(3)] Timeframe Timeframe,
    [property: Id(4)] DateTime Time,
    [property: Id(5)] SignalDirection Direction,
    [property: Id(6)] double Close,
    [property: Id(7)] double? SlowMa,
    [property: Id(8)] double? FastMa,
    [property: Id(9)] double StopLoss,
    [property: Id(10)] double TakeProfit,
    [property: Id(11)] double SlPips,
    [property: Id(12)] double TpPips,
    [property: Id(13)] double Atr,
    [property: Id(14)] double RiskRewardRatio,
    [property: Id(15)] DateTime CreatedAt,
    [property: Id(16)] double? Confidence,
    [property: Id(17)] string Kind,
    [property: Id(18)] NamedValues Indicators,
    [property: Id(19)] ConfidenceFactors? ConfidenceFactors = null)
{
    /// <summary>When the signal can be acted on: the close of its candle.</summary>
    public DateTime IssuedAt => Time + Timeframe.Duration;

    public SeriesKey Series => new(Instrument, Timeframe);

    /// <summary>
    /// The id is a pure function of what identifies a signal, so re-evaluating a candle (after a crash or a
    /// replay) yields the same id and idempotent stores keep one copy.
    /// </summary>
    public static string CreateId(string strategyId, Instrument instrument, Timeframe timeframe, DateTime candleTime, SignalDirection direction) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{strategyId}:{instrument}:{timeframe}:{candleTime.ToUniversalTime():yyyyMMdd'T'HHmmss'Z'}:{(direction == SignalDirection.Buy ? "BUY" : "SELL")}");
}
