using System.Text.Json.Serialization;

namespace SignalFlow.Outcomes;

/// <summary>How a signal ended (STRATEGIES.md §4); <see cref="Open"/> while it is still running.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OutcomeResult>))]
public enum OutcomeResult
{
    [JsonStringEnumMemberName("open")]
    Open,

    [JsonStringEnumMemberName("win")]
    Win,

    [JsonStringEnumMemberName("loss")]
    Loss,

    [JsonStringEnumMemberName("expired")]
    Expired,
}

/// <summary>
/// The outcome of one signal (STRATEGIES.md §4). An open outcome has no exit, pips or R yet (null) and counts the
/// candles seen so far in <see cref="BarsHeld"/>. <see cref="RMultiple"/> is also null for a closed signal whose stop
/// equals its entry (an ATR of zero): its R is undefined, and R statistics leave it out. <see cref="SignalTime"/> is
/// persisted with it but not written in reports (<see cref="OutcomeReport.JsonOptions"/>), whose keys §4 fixes.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SignalOutcome(
    [property: Id(0)] string SignalId,
    [property: Id(1)] DateTime SignalTime,
    [property: Id(2)] OutcomeResult Result,
    [property: Id(3)] DateTime? ExitTime,
    [property: Id(4)] double? ExitPrice,
    [property: Id(5)] int BarsHeld,
    [property: Id(6)] double? Pips,
    [property: Id(7)] double? RMultiple)
{
    [JsonIgnore]
    public bool IsClosed => Result != OutcomeResult.Open;
}
