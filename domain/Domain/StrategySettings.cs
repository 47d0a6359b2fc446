namespace SignalFlow.Domain;

/// <summary>
/// One moving-average crossover strategy with ATR stop/target, in the terms of the legacy settings file.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record StrategySettings(
    [property: Id(0)] string Id,
    [property: Id(1)] Instrument Instrument,
    [property: Id(2)] Timeframe Timeframe,
    [property: Id(3)] int FastMaPeriod,
    [property: Id(4)] int SlowMaPeriod,
    [property: Id(5)] int AtrPeriod,
    [property: Id(6)] double SlAtrMultiplier,
    [property: Id(7)] double TpAtrMultiplier,
    [property: Id(8)] double MinAtrValue,
    [property: Id(9)] double MinRiskRewardRatio)
{
    public SeriesKey Series => new(Instrument, Timeframe);

    public double RiskRewardRatio => TpAtrMultiplier / SlAtrMultiplier;

    /// <summary>
    /// Closed candles needed before the first signal can be emitted: a crossover compares both averages on the
    /// current and the previous candle, and the ATR needs a full window.
    /// </summary>
    public int WarmUpCandles => Math.Max(Math.Max(FastMaPeriod, SlowMaPeriod) + 1, AtrPeriod);
}
