using SignalFlow.Domain;
using SignalFlow.Outcomes;
using SignalFlow.Strategies;

namespace SignalFlow.Tests.Outcomes;

/// <summary>The follow-up message of a resolved signal: its figures to 0.1 and its one line.</summary>
public sealed class OutcomeFollowUpTests
{
    private static readonly DateTime SignalTime = new(2024, 3, 4, 8, 0, 0, DateTimeKind.Utc);

    public static OutcomeFollowUp FollowUp(string series, SignalDirection direction, OutcomeResult result, double pips, double? r, int bars = 3,
        double exitPrice = 1.09217, string strategy = "ma_cross")
    {
        var key = SeriesKey.Parse(series);
        var id = Signal.CreateId(strategy, key.Instrument, key.Timeframe, SignalTime, direction);
        var outcome = new SignalOutcome(id, SignalTime, result, SignalTime + key.Timeframe.Duration * bars, exitPrice, bars, pips, r);
        return OutcomeFollowUp.Of(key, new ResolvedOutcome(strategy, outcome, direction));
    }

    [Theory]
    [InlineData("EUR_USD_H4", SignalDirection.Buy, OutcomeResult.Win, 45.24, 1.4999, "EUR/USD BUY closed at target, +45.2 pips, +1.5R")]
    [InlineData("GBP_JPY_H1", SignalDirection.Sell, OutcomeResult.Loss, -30.05, -1.0, "GBP/JPY SELL closed at stop, -30.1 pips, -1.0R")]
    [InlineData("EUR_USD_M15", SignalDirection.Buy, OutcomeResult.Expired, -0.04, -0.01, "EUR/USD BUY expired after 3 candles, 0.0 pips, 0.0R")]
    [InlineData("USD_JPY_D", SignalDirection.Sell, OutcomeResult.Win, 12.0, null, "USD/JPY SELL closed at target, +12.0 pips")]
    public void The_line_says_pair_direction_exit_pips_and_r_to_a_tenth(string series, SignalDirection direction, OutcomeResult result, double pips,
        double? r, string expected)
    {
        Assert.Equal(expected, FollowUp(series, direction, result, pips, r).Line);
    }

    [Fact]
    public void Figures_are_rounded_when_made_and_the_age_counts_from_the_exit_candle_close()
    {
        var followUp = FollowUp("EUR_USD_H4", SignalDirection.Buy, OutcomeResult.Win, 45.25, 1.55, bars: 1);

        Assert.Equal((45.3, 1.6), (followUp.Pips, followUp.RMultiple!.Value));
        Assert.Equal(("target", "BUY", "EUR/USD"), (followUp.Exit, followUp.DirectionName, followUp.Pair));
        Assert.Equal(SignalTime.AddHours(8), followUp.ClosedAt);
        Assert.Equal("EUR/USD BUY expired after 1 candle, +1.0 pips, +0.1R", FollowUp("EUR_USD_H4", SignalDirection.Buy, OutcomeResult.Expired, 1, 0.1, bars: 1).Line);
    }

    [Fact]
    public void An_open_outcome_has_no_follow_up()
    {
        var open = new SignalOutcome("s", SignalTime, OutcomeResult.Open, null, null, 2, null, null);

        var error = Assert.Throws<ArgumentException>(() => OutcomeFollowUp.Of(SeriesKey.Parse("EUR_USD_H4"), new ResolvedOutcome("x", open, SignalDirection.Buy)));
        Assert.Contains("still open", error.Message);
    }
}
