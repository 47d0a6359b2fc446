using SignalFlow.Strategies;
using SignalFlow.Domain;

namespace SignalFlow.Tests.Notifications;

internal static class TestSignals
{
    public static readonly DateTime Start = new(2024, 3, 4, 8, 0, 0, DateTimeKind.Utc);

    /// <summary>A signal whose id is unique per <paramref name="n"/>; prices plausible for the pair.</summary>
    public static Signal Create(int n, string instrument = "EUR_USD", string timeframe = "H4", double riskReward = 2.0,
        double? confidence = null, string strategy = "ma_cross", SignalDirection direction = SignalDirection.Buy)
    {
        var pair = Instrument.Parse(instrument);
        var frame = Timeframe.Parse(timeframe);
        var time = Start + frame.Duration * n;
        var close = pair.QuoteCurrency == "JPY" ? 150.123 : 1.08765;
        var atr = close * 0.002;
        var sign = direction == SignalDirection.Buy ? 1 : -1;
        return new Signal(
            Signal.CreateId(strategy, pair, frame, time, direction), strategy, pair, frame, time, direction,
            close, close * 0.999, close * 1.001, close - sign * atr, close + sign * atr * riskReward,
            atr * pair.PipMultiplier, atr * riskReward * pair.PipMultiplier, atr, riskReward, time + frame.Duration, confidence,
            StrategyKinds.LegacyKind, NamedValues.Of(("fast_ma", close * 1.001), ("slow_ma", close * 0.999)));
    }
}
