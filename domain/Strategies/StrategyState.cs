using SignalFlow.Indicators;

namespace SignalFlow.Strategies;

/// <summary>
/// The persisted state of one strategy of any kind: the same shape for all kinds, so a series hosting several kinds
/// round-trips through every storage provider. <see cref="Shape"/> names the kind and the parameters the state was built
/// with: state of another shape is not resumed (the strategy warms up afresh from stored candles).
/// </summary>
[GenerateSerializer]
public sealed class StrategyState
{
    [Id(0)] public string Kind { get; set; } = string.Empty;

    [Id(1)] public string Shape { get; set; } = string.Empty;

    [Id(2)] public long CandlesSeen { get; set; }

    [Id(3)] public long SignalsEmitted { get; set; }

    /// <summary>Each indicator's state by the name the kind gives it (<c>atr</c> for the ATR every kind has).</summary>
    [Id(4)] public Dictionary<string, IndicatorState> Indicators { get; set; } = new(StringComparer.Ordinal);
}
