using SignalFlow.Indicators;

namespace SignalFlow.Domain;

/// <summary>
/// One configured strategy: its kind, series, the common stop/target/filter keys every kind shares, and the kind's own
/// parameters by their names in the strategies file (<c>fast_ma</c>, <c>rsi_period</c>, ...).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record StrategySettings(
    [property: Id(0)] string Id,
    [property: Id(1)] string Kind,
    [property: Id(2)] Instrument Instrument,
    [property: Id(3)] Timeframe Timeframe,
    [property: Id(4)] int AtrPeriod,
    [property: Id(5)] AtrSmoothing AtrSmoothing,
    [property: Id(6)] double SlAtrMultiplier,
    [property: Id(7)] double TpAtrMultiplier,
    [property: Id(8)] double MinAtrValue,
    [property: Id(9)] double MinRiskRewardRatio,
    [property: Id(10)] int? MaxBarsHeld,
    [property: Id(11)] NamedValues Parameters)
{
    public SeriesKey Series => new(Instrument, Timeframe);

    public double RiskRewardRatio => TpAtrMultiplier / SlAtrMultiplier;

    /// <summary>A whole-number parameter of the kind (validated by the loader).</summary>
    public int Int(string name) => (int)Parameters[name];

    public double Number(string name) => Parameters[name];
}
