using SignalFlow.Domain;
using SignalFlow.Strategies;
using static SignalFlow.Domain.SignalDirection;
using static SignalFlow.Tests.Strategies.KindTestKit;

namespace SignalFlow.Tests.Strategies;

/// <summary>RSI(2) on closes moving by whole steps: the averages are halves and quarters, and the RSIs 0, 25, 50, 75, 100.</summary>
public class RsiReversionTests
{
    private static StrategySettings Reversion(double oversold, double overbought) =>
        Settings("rsi_reversion", $"\"rsi_period\":2,\"oversold\":{oversold},\"overbought\":{overbought}");

    [Fact]
    public void Buys_when_rsi_climbs_from_below_oversold_to_exactly_oversold_and_not_when_it_leaves_it()
    {
        // RSI: t = 2: 0 (two losses); t = 3: 50 (avg gain 0.5, avg loss 0.5); t = 4: 75 (0.75 / 0.25).
        // BUY at 3 (0 < 50 and 50 ≥ 50); none at 4 (the previous 50 is not below 50).
        var candles = FromCloses(10, 9, 8, 9, 10);
        Assert.Equal([(3, Buy)], Sides(Reversion(50, 80), candles));

        var signal = Run(Create(Reversion(50, 80)), candles).Single();
        Assert.Equal(NamedValues.Of(("rsi", 50.0)), signal.Indicators);
        Assert.Null(signal.FastMa);
        Assert.Null(signal.SlowMa);
    }

    [Fact]
    public void Sells_when_rsi_falls_from_above_overbought_to_exactly_overbought_and_not_when_it_leaves_it()
    {
        // RSI: t = 2: 100 (no loss); t = 3: 50; t = 4: 25. SELL at 3 (100 > 50 and 50 ≤ 50); none at 4.
        Assert.Equal([(3, Sell)], Sides(Reversion(20, 50), FromCloses(10, 11, 12, 11, 10)));
    }

    [Fact]
    public void Fires_from_the_candle_after_the_first_rsi()
    {
        // RSI(2) exists from t = 2, so t = 3 is the first candle with an RSI before it.
        Assert.Equal(4, Create(Reversion(50, 80)).WarmUpCandles);
        Assert.Empty(Sides(Reversion(50, 80), FromCloses(10, 9, 8)));
    }

    [Fact]
    public void Staying_below_oversold_or_above_overbought_is_no_signal()
    {
        // RSI 0 throughout a fall, 100 throughout a rise.
        Assert.Empty(Sides(Reversion(30, 70), FromCloses(10, 9, 8, 7, 6, 5)));
        Assert.Empty(Sides(Reversion(30, 70), FromCloses(5, 6, 7, 8, 9, 10)));
    }
}
