namespace SignalFlow.Domain;

/// <summary>
/// A mid-price candle as OANDA serves it: <see cref="Time"/> is the UTC start of the period, volume is the tick count.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Candle(
    [property: Id(0)] Instrument Instrument,
    [property: Id(1)] Timeframe Timeframe,
    [property: Id(2)] DateTime Time,
    [property: Id(3)] double Open,
    [property: Id(4)] double High,
    [property: Id(5)] double Low,
    [property: Id(6)] double Close,
    [property: Id(7)] long Volume,
    [property: Id(8)] bool Complete = true)
{
    public SeriesKey Series => new(Instrument, Timeframe);

    /// <summary>The instant the candle's period ends (exclusive).</summary>
    public DateTime EndTime => Time + Timeframe.Duration;
}
