using SignalFlow.Domain;
using SignalFlow.Strategies;
using static SignalFlow.Domain.SignalDirection;
using static SignalFlow.Tests.Strategies.KindTestKit;

namespace SignalFlow.Tests.Strategies;

/// <summary>
/// EMA(1) is the close itself and EMA(3) has α = 0.5 (EMA(7): α = 0.25), so every value below is exact in binary.
/// </summary>
public class EmaCrossoverTests
{
    private static StrategySettings Crossover(int trend = 0) =>
        Settings("ema_crossover", $"\"fast_ema\":1,\"slow_ema\":3{(trend > 0 ? $",\"trend_ema\":{trend}" : "")}");

    [Fact]
    public void Buys_when_the_fast_ema_rises_above_the_slow_one_from_equal_and_not_while_equal()
    {
        // EMA(3) from t = 2: 2, 2, 2.5; fast: 1, 2, 3. At t = 3 the EMAs are equal (no crossing); at t = 4 fast 3 > 2.5
        // after fast 2 ≤ slow 2: BUY.
        var candles = FromCloses(3, 2, 1, 2, 3);
        Assert.Equal([(4, Buy)], Sides(Crossover(), candles));

        var signal = Run(Create(Crossover()), candles).Single();
        Assert.Equal(NamedValues.Of(("fast_ema", 3.0), ("slow_ema", 2.5)), signal.Indicators);
        Assert.Equal((3.0, 2.5), (signal.FastMa, signal.SlowMa));
        Assert.Equal("ema_crossover", signal.Kind);

        // ATR(1) = TR = max(1, |3.5 − 2|, |2.5 − 2|) = 1.5: stop 1 ATR below, target 2 ATR above.
        Assert.Equal((1.5, 1.5, 6.0), (signal.Atr, signal.StopLoss, signal.TakeProfit));
    }

    [Fact]
    public void Sells_when_the_fast_ema_falls_below_the_slow_one_from_equal_and_not_while_equal()
    {
        Assert.Equal([(4, Sell)], Sides(Crossover(), FromCloses(1, 2, 3, 2, 1)));
    }

    [Fact]
    public void Can_fire_on_the_first_candle_both_emas_exist_on_the_one_before()
    {
        // EMA(3) exists from t = 2, so t = 3 is the first candle that can cross: 3 > 2.5 after 1 ≤ 2.
        var settings = Crossover();
        Assert.Equal([(3, Buy)], Sides(settings, FromCloses(3, 2, 1, 3)));
        Assert.Equal(4, Create(settings).WarmUpCandles);
    }

    [Fact]
    public void The_trend_filter_keeps_a_buy_above_the_trend_ema_and_a_sell_below_it_only()
    {
        // Seven closes of 10, then:  t:     7     8      9      10        11
        //                      close:      6     9      8      12        10
        //                      EMA(3):     8     8.5    8.25   10.125    10.0625
        //                      EMA(7):     9     9      8.75   9.5625    9.671875
        // Crossings: SELL 7, BUY 8, SELL 9, BUY 10, SELL 11. The trend keeps SELL 7 (6 < 9), drops BUY 8 (close 9 equals
        // the trend, not above), keeps SELL 9 (8 < 8.75) and BUY 10 (12 > 9.5625), drops SELL 11 (10 is above 9.67).
        var candles = FromCloses(10, 10, 10, 10, 10, 10, 10, 6, 9, 8, 12, 10);
        Assert.Equal([(7, Sell), (8, Buy), (9, Sell), (10, Buy), (11, Sell)], Sides(Crossover(), candles));
        Assert.Equal([(7, Sell), (9, Sell), (10, Buy)], Sides(Crossover(trend: 7), candles));

        var signal = Run(Create(Crossover(trend: 7)), candles).First();
        Assert.Equal(NamedValues.Of(("fast_ema", 6.0), ("slow_ema", 8.0), ("trend_ema", 9.0)), signal.Indicators);
    }

    [Fact]
    public void A_crossing_before_the_trend_ema_exists_is_not_a_signal()
    {
        // EMA(7) exists from t = 6: the SELL crossing at t = 5 is held back, the one at t = 6 fires.
        Assert.Empty(Sides(Crossover(trend: 7), FromCloses(10, 10, 10, 10, 10, 6)));
        Assert.Equal([(6, Sell)], Sides(Crossover(trend: 7), FromCloses(10, 10, 10, 10, 10, 10, 6)));
        Assert.Equal(7, Create(Crossover(trend: 7)).WarmUpCandles);
    }

    [Fact]
    public void Without_a_trend_ema_none_is_reported()
    {
        var settings = Settings("ema_crossover", "\"fast_ema\":1,\"slow_ema\":3,\"trend_ema\":0");
        Assert.Equal(["fast_ema", "slow_ema"], Run(Create(settings), FromCloses(3, 2, 1, 3)).Single().Indicators.Keys);
    }
}
