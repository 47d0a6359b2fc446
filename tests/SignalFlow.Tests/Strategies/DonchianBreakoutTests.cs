using SignalFlow.Domain;
using SignalFlow.Strategies;
using static SignalFlow.Domain.SignalDirection;
using static SignalFlow.Tests.Strategies.KindTestKit;

namespace SignalFlow.Tests.Strategies;

public class DonchianBreakoutTests
{
    private static readonly StrategySettings Breakout = Settings("donchian_breakout", "\"channel_period\":2");

    [Fact]
    public void Buys_when_the_close_breaks_above_the_previous_candles_high_and_not_on_touching_it()
    {
        // Channel high (highest high of the two candles before): t = 3: 11, t = 4: 11.5, t = 5: 12.
        // t = 3: close 11 equals 11, no breakout. t = 4: 11.6 > 11.5 after close 11 ≤ 11 (equal counts): BUY.
        // t = 5: 12.5 > 12 but the close was already above the channel (11.6 > 11.5): no new breakout.
        var candles = FromRanges((11, 9, 10), (11, 9, 10), (11, 9, 10), (11.5, 10, 11), (12, 11, 11.6), (13, 12, 12.5));
        Assert.Equal([(4, Buy)], Sides(Breakout, candles));

        var signal = Run(Create(Breakout), candles).Single();
        Assert.Equal(NamedValues.Of(("channel_high", 11.5), ("channel_low", 9.0)), signal.Indicators);
        Assert.Equal(1.0, signal.Atr);
        Assert.Equal(11.6 - 1.0, signal.StopLoss);
        Assert.Equal(11.6 + 2.0, signal.TakeProfit);
        Assert.Null(signal.FastMa);
    }

    [Fact]
    public void Sells_when_the_close_breaks_below_the_previous_candles_low_and_not_on_touching_it()
    {
        // Channel low: t = 3: 9 (close 9 equals it), t = 4: 8.5 (close 8.4 below, after 9 ≥ 9): SELL.
        var candles = FromRanges((11, 9, 10), (11, 9, 10), (11, 9, 10), (10, 8.5, 9), (9, 8, 8.4));
        Assert.Equal([(4, Sell)], Sides(Breakout, candles));
    }

    [Fact]
    public void Fires_from_the_candle_after_the_first_channel()
    {
        // The channel exists from t = 2 (candles 0 and 1): t = 3 is the first candle that can break out.
        var candles = FromRanges((11, 9, 10), (11, 9, 10), (11, 9, 10), (12.5, 11, 12));
        Assert.Equal([(3, Buy)], Sides(Breakout, candles));
        Assert.Equal(4, Create(Breakout).WarmUpCandles);
    }

    [Fact]
    public void Is_ready_one_candle_before_its_first_possible_signal_also_when_the_atr_takes_longest()
    {
        // ATR(5) exists from t = 4, the rule from t = 3: the first signal can come on candle 4, and it does.
        var settings = Settings("donchian_breakout", "\"channel_period\":2", atrPeriod: 5);
        var candles = FromRanges((11, 9, 10), (11, 9, 10), (11, 9, 10), (11, 9, 10), (12.5, 11, 12));
        var strategy = Create(settings);
        Assert.Equal(5, strategy.WarmUpCandles);
        foreach (var candle in candles.Take(3))
        {
            strategy.Update(candle);
        }

        Assert.False(strategy.IsReady);
        strategy.Update(candles[3]);
        Assert.True(strategy.IsReady, "the next candle can signal");
        Assert.NotNull(strategy.Update(candles[4]));
    }
}
