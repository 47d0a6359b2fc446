namespace SignalFlow.Domain;

/// <summary>
/// One price from OANDA's pricing stream: the best bid and ask at <see cref="Time"/> (UTC). Prices stay decimal as
/// OANDA sends them, so the mid and the candles built from it carry no binary rounding.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PriceTick(
    [property: Id(0)] Instrument Instrument,
    [property: Id(1)] DateTime Time,
    [property: Id(2)] decimal Bid,
    [property: Id(3)] decimal Ask)
{
    /// <summary>The mid price OANDA's <c>price=M</c> candles are made of.</summary>
    public decimal Mid => (Bid + Ask) / 2;
}
