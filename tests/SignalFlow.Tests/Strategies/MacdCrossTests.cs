using SignalFlow.Domain;
using SignalFlow.Strategies;
using static SignalFlow.Domain.SignalDirection;
using static SignalFlow.Tests.Strategies.KindTestKit;

namespace SignalFlow.Tests.Strategies;

public class MacdCrossTests
{
    /// <summary>MACD(1, 3, 3): EMA(1) is the close and EMA(3) and the signal line have α = 0.5, so all values are exact.</summary>
    private static readonly StrategySettings Cross = Settings("macd_cross", "\"macd_fast\":1,\"macd_slow\":3,\"macd_signal\":3");

    [Fact]
    public void Crosses_both_ways_from_equal_and_not_while_equal()
    {
        //  t:       4    5     6      7     8      9      10
        //  close:  10   12    10   10.5  11.5   11.5      11
        //  EMA(3): 10   11  10.5   10.5    11  11.25  11.125
        //  macd:    0    1  −0.5      0   0.5   0.25  −0.125
        //  signal:  0  0.5     0      0  0.25   0.25  0.0625
        // BUY 5 (after equal at 4), SELL 6, equal at 7 (none), BUY 8, equal at 9 (none), SELL 10.
        var candles = FromCloses(10, 10, 10, 10, 10, 12, 10, 10.5, 11.5, 11.5, 11);
        Assert.Equal([(5, Buy), (6, Sell), (8, Buy), (10, Sell)], Sides(Cross, candles));

        var signal = Run(Create(Cross), candles).First();
        Assert.Equal(NamedValues.Of(("macd", 1.0), ("macd_signal", 0.5), ("macd_histogram", 0.5)), signal.Indicators);
        Assert.Null(signal.SlowMa);
    }

    [Fact]
    public void Fires_from_the_candle_after_the_first_signal_line_value()
    {
        // macd exists from t = 2, its signal line (mean of the first three) from t = 4: t = 5 is the first candle.
        Assert.Equal(6, Create(Cross).WarmUpCandles);
        Assert.Empty(Sides(Cross, FromCloses(10, 10, 10, 10, 12)));
    }
}
