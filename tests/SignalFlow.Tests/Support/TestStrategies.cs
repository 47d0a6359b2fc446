using SignalFlow.Domain;
using SignalFlow.Indicators;
using SignalFlow.Strategies;

namespace SignalFlow.Tests.Support;

/// <summary>Strategy settings for tests, in the terms of the strategies file.</summary>
internal static class TestStrategies
{
    public static StrategySettings MaCrossover(string id, Instrument instrument, Timeframe timeframe, int fast, int slow, int atr,
        double sl, double tp, double minAtr, double minRr) =>
        Of(id, StrategyKinds.LegacyKind, instrument, timeframe, atr, sl, tp, minAtr, minRr,
            (MovingAverageCrossover.FastKey, fast), (MovingAverageCrossover.SlowKey, slow));

    public static StrategySettings Of(string id, string kind, Instrument instrument, Timeframe timeframe, int atr, double sl, double tp,
        double minAtr, double minRr, params (string Name, double Value)[] parameters) =>
        new(id, kind, instrument, timeframe, atr, AtrSmoothing.Simple, sl, tp, minAtr, minRr, MaxBarsHeld: null, NamedValues.Of(parameters));
}
