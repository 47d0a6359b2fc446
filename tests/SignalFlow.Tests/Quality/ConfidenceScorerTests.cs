using System.Text.Json;
using SignalFlow.Domain;
using SignalFlow.Outcomes;
using SignalFlow.Portfolio;
using SignalFlow.Quality;
using SignalFlow.Signals;
using SignalFlow.Strategies;
using SignalFlow.Tests.Notifications;

namespace SignalFlow.Tests.Quality;

/// <summary>Each confidence factor on hand-built cases, the weighted sum, the weights' validation and the JSON form.</summary>
public class ConfidenceScorerTests
{
    private static DateTime Utc(int year, int month, int day, int hour) => new(year, month, day, hour, 0, 0, DateTimeKind.Utc);

    private static Signal Signal(string instrument, SignalDirection direction, int n = 0, string strategy = "s") =>
        TestSignals.Create(n, instrument, direction: direction, strategy: strategy);

    private static OpenSignal At(string instrument, SignalDirection direction, int n = 0, string strategy = "s") =>
        OpenSignal.Of(Signal(instrument, direction, n, strategy), maxBarsOpen: 50);

    [Theory]
    [InlineData(0.5, 0)]
    [InlineData(1.0, 0)]
    [InlineData(1.5, 0.25)]
    [InlineData(2.0, 0.5)]
    [InlineData(3.0, 1)]
    [InlineData(5.0, 1)]
    public void Risk_reward_earns_from_1_to_3(double riskReward, double score) =>
        Assert.Equal(score, ConfidenceScorer.RiskReward(riskReward), 12);

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.1, 0.5)]
    [InlineData(0.2, 1)]
    [InlineData(0.5, 1)]
    [InlineData(0.8, 1)]
    [InlineData(0.95, 0.25)]
    [InlineData(1.0, 0)]
    public void Atr_environment_is_best_in_the_typical_band(double percentile, double score) =>
        Assert.Equal(score, ConfidenceScorer.AtrEnvironment(percentile), 12);

    [Fact]
    public void Atr_environment_is_neutral_while_the_percentile_is_unknown() =>
        Assert.Equal(ConfidenceScorer.Neutral, ConfidenceScorer.AtrEnvironment(null));

    public static TheoryData<DateTime, string, double> TimesOfDay => new()
    {
        // Wednesday 09:00 UTC: two days to the Friday close, away from the rollover.
        { Utc(2024, 1, 17, 9), "H4", 1 },
        // Friday 21:00 UTC in winter is 16:00 New York: one hour to the week's close, and within an hour of the rollover.
        { Utc(2024, 1, 19, 21), "H4", 1.0 / 24 / 2 },
        // The same in summer is 17:00 New York: the week is closed.
        { Utc(2024, 7, 19, 21), "H4", 0 },
        // Friday 16:00 New York in summer (20:00 UTC): one hour left, the daily candle not penalised for the rollover.
        { Utc(2024, 7, 19, 20), "D", 1.0 / 24 },
        // Tuesday 17:00 New York (22:00 UTC in winter): the rollover halves an intraday signal only.
        { Utc(2024, 1, 16, 22), "H4", 0.5 },
        { Utc(2024, 1, 16, 22), "D", 1 },
        // Thursday 22:00 New York (03:00 UTC Friday in winter): 19 hours to the close.
        { Utc(2024, 1, 19, 3), "H1", 19.0 / 24 },
        // Saturday, and Sunday before the 17:00 New York open: closed.
        { Utc(2024, 1, 20, 12), "H4", 0 },
        { Utc(2024, 1, 21, 21), "H4", 0 },
        // Sunday 18:00 New York (23:00 UTC): the week has opened, an hour past the rollover.
        { Utc(2024, 1, 21, 23), "H4", 0.5 },
    };

    [Theory]
    [MemberData(nameof(TimesOfDay))]
    public void Time_of_day_counts_the_hours_left_in_the_week_and_the_rollover(DateTime issuedAt, string timeframe, double score) =>
        Assert.Equal(score, ConfidenceScorer.TimeOfDay(issuedAt, Timeframe.Parse(timeframe)), 12);

    public static TheoryData<string, DateTime, double> Sessions => new()
    {
        // Winter 14:00 UTC: London/New York overlap.
        { "EUR_USD", Utc(2024, 1, 17, 14), 1 },
        { "AUD_JPY", Utc(2024, 1, 17, 14), 0.5 },
        // Tokyo alone (06:00 UTC in July: Sydney closed at 16:00 AEST, London not yet open): JPY pairs are in their session, EUR_USD is not.
        { "USD_JPY", Utc(2024, 7, 17, 6), 0.75 },
        { "EUR_USD", Utc(2024, 7, 17, 6), 0.25 },
        // Sydney/Tokyo overlap (01:00 UTC in July: 11:00 Sydney, 10:00 Tokyo).
        { "AUD_USD", Utc(2024, 7, 17, 1), 1 },
        // Saturday: nothing open.
        { "EUR_USD", Utc(2024, 7, 20, 14), 0.25 },
    };

    [Theory]
    [MemberData(nameof(Sessions))]
    public void Market_session_rewards_the_pairs_own_sessions_and_overlaps(string instrument, DateTime issuedAt, double score) =>
        Assert.Equal(score, ConfidenceScorer.MarketSession(Instrument.Parse(instrument), issuedAt), 12);

    private static SignalOutcome Outcome(int i, double r) =>
        new($"s{i}", Utc(2024, 1, 1, 0).AddHours(i), r > 0 ? OutcomeResult.Win : OutcomeResult.Loss, Utc(2024, 1, 1, 0).AddHours(i + 1), 1.1, 1, r * 10, r);

    [Fact]
    public void Recent_performance_is_neutral_before_five_resolved_signals()
    {
        var four = Enumerable.Range(0, 4).Select(i => Outcome(i, 2)).ToList();
        Assert.Equal(ConfidenceScorer.Neutral, ConfidenceScorer.RecentPerformance([]));
        Assert.Equal(ConfidenceScorer.Neutral, ConfidenceScorer.RecentPerformance(four));

        // An open outcome does not count.
        Assert.Equal(ConfidenceScorer.Neutral, ConfidenceScorer.RecentPerformance(
            [.. four, new SignalOutcome("open", Utc(2024, 2, 1, 0), OutcomeResult.Open, null, null, 3, null, null)]));

        // The fifth makes it count: mean R +2 is full marks.
        Assert.Equal(1, ConfidenceScorer.RecentPerformance([.. four, Outcome(4, 2)]));
    }

    [Fact]
    public void Recent_performance_maps_the_mean_r_of_the_last_twenty_by_exit_time()
    {
        // 20 old losses, then 20 recent results with mean R (10·1.5 − 10·1)/20 = 0.25 → 0.5 + 0.125.
        var old = Enumerable.Range(0, 20).Select(i => Outcome(i, -1));
        var recent = Enumerable.Range(20, 20).Select(i => Outcome(i, i % 2 == 0 ? 1.5 : -1));
        Assert.Equal(0.625, ConfidenceScorer.RecentPerformance(recent.Concat(old).Reverse().ToList()), 12);

        Assert.Equal(0, ConfidenceScorer.RecentPerformance(Enumerable.Range(0, 5).Select(i => Outcome(i, -1)).ToList()));
    }

    [Theory]
    [InlineData(null, StrategyStyle.TrendFollowing, 0.5)]
    [InlineData(MarketRegime.Trending, StrategyStyle.TrendFollowing, 1)]
    [InlineData(MarketRegime.Volatile, StrategyStyle.TrendFollowing, 0.5)]
    [InlineData(MarketRegime.Ranging, StrategyStyle.TrendFollowing, 0.25)]
    [InlineData(MarketRegime.Ranging, StrategyStyle.MeanReversion, 1)]
    [InlineData(MarketRegime.Trending, StrategyStyle.MeanReversion, 0.25)]
    [InlineData(MarketRegime.Volatile, StrategyStyle.MeanReversion, 0.25)]
    public void Volatility_regime_judges_the_regime_by_the_kinds_style(MarketRegime? regime, StrategyStyle style, double score) =>
        Assert.Equal(score, ConfidenceScorer.VolatilityRegime(regime, style));

    [Fact]
    public void Rsi_reversion_is_the_mean_reverting_kind()
    {
        Assert.Equal(StrategyStyle.MeanReversion, StrategyKinds.Default.Get("rsi_reversion").Style);
        Assert.All(StrategyKinds.Default.All.Where(k => k.Name != "rsi_reversion"), k => Assert.Equal(StrategyStyle.TrendFollowing, k.Style));
    }

    [Fact]
    public void Correlation_counts_the_currencies_concurrent_signals_bet_on_the_same_side()
    {
        var eurUsdBuy = Signal("EUR_USD", SignalDirection.Buy);

        // Alone, or beside itself (the signal is not its own neighbour).
        Assert.Equal(1, ConfidenceScorer.Correlation(eurUsdBuy, []));
        Assert.Equal(1, ConfidenceScorer.Correlation(eurUsdBuy, [OpenSignal.Of(eurUsdBuy, maxBarsOpen: 50)]));

        // GBP_USD BUY: both short USD (the double bet against the dollar).
        Assert.Equal(0.75, ConfidenceScorer.Correlation(eurUsdBuy, [At("GBP_USD", SignalDirection.Buy)]));

        // USD_JPY SELL is short USD too; EUR_GBP BUY is long EUR.
        Assert.Equal(0.5, ConfidenceScorer.Correlation(eurUsdBuy, [At("USD_JPY", SignalDirection.Sell), At("EUR_GBP", SignalDirection.Buy)]));

        // Another strategy's EUR_USD BUY shares both legs.
        Assert.Equal(0.5, ConfidenceScorer.Correlation(eurUsdBuy, [At("EUR_USD", SignalDirection.Buy, strategy: "other")]));

        // Opposite sides offset: EUR_USD SELL, USD_JPY BUY (long USD), AUD_NZD BUY (no common currency) do not count.
        Assert.Equal(1, ConfidenceScorer.Correlation(eurUsdBuy,
            [At("EUR_USD", SignalDirection.Sell, strategy: "other"), At("USD_JPY", SignalDirection.Buy), At("AUD_NZD", SignalDirection.Buy)]));

        // Never below 0.
        Assert.Equal(0, ConfidenceScorer.Correlation(eurUsdBuy, Enumerable.Range(1, 3).Select(i => At("EUR_USD", SignalDirection.Buy, i)).ToList()));
    }

    [Fact]
    public void The_confidence_is_the_weighted_sum_of_the_factors_in_the_seed_weights()
    {
        // EUR_USD H4 BUY, RR 2, candle 12:00–16:00 UTC on Wednesday 17 January 2024 (issued in the London/NY overlap).
        var signal = TestSignals.Create(0) with { Time = Utc(2024, 1, 17, 12) };
        var context = new MarketContext(30, 25, 10, 0.001, 0.5, MarketRegime.Trending);
        var inputs = new ConfidenceInputs(context, StrategyStyle.TrendFollowing, [], [At("GBP_USD", SignalDirection.Buy)]);

        var scored = ConfidenceScorer.Seed.Score(signal, inputs);

        var factors = scored.ConfidenceFactors!;
        Assert.Equal(
            [("risk_reward", 0.5, 0.25), ("atr_environment", 1, 0.15), ("time_of_day", 1, 0.10), ("market_session", 1, 0.10),
             ("recent_performance", 0.5, 0.20), ("volatility_regime", 1, 0.15), ("correlation", 0.75, 0.05)],
            factors.Select(f => (f.Name, f.Score, f.Weight)));
        Assert.Equal((0.5 * 0.25) + 0.15 + 0.10 + 0.10 + (0.5 * 0.20) + 0.15 + (0.75 * 0.05), scored.Confidence!.Value, 12);
        Assert.Equal(scored, ConfidenceScorer.Seed.Score(signal, inputs));
        Assert.Equal(signal, scored with { Confidence = null, ConfidenceFactors = null });
    }

    [Fact]
    public void Weights_that_do_not_sum_to_one_or_leave_0_to_1_are_refused_with_each_problem()
    {
        Assert.Empty(ConfidenceWeights.Seed.Problems());
        var error = Assert.Throws<ArgumentException>(() => new ConfidenceScorer(new ConfidenceWeights { RiskReward = 0.3 }));
        Assert.Contains("sum to 1.05", error.Message);

        var problems = new ConfidenceWeights { Correlation = -0.05, RiskReward = 0.35 }.Problems().ToList();
        Assert.Single(problems);
        Assert.Contains("'correlation' is -0.05", problems[0]);
        Assert.Empty(new ConfidenceWeights { Correlation = 0, RiskReward = 0.30 }.Problems());
    }

    [Fact]
    public void The_factors_round_trip_through_the_signal_json_and_are_null_without_a_score()
    {
        var scored = ConfidenceScorer.Seed.Score(TestSignals.Create(3), new ConfidenceInputs(MarketContext.Unknown, StrategyStyle.TrendFollowing, [], []));

        var json = SignalJson.ToJsonLine(scored);
        using var document = JsonDocument.Parse(json);
        var riskReward = document.RootElement.GetProperty("confidence_factors").GetProperty("risk_reward");
        Assert.Equal((0.5, 0.25), (riskReward.GetProperty("score").GetDouble(), riskReward.GetProperty("weight").GetDouble()));
        Assert.Equal(scored, SignalJson.Parse(json));

        var unscored = TestSignals.Create(3);
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(SignalJson.ToJsonLine(unscored)).RootElement.GetProperty("confidence_factors").ValueKind);
        Assert.Equal(unscored, SignalJson.Parse(SignalJson.ToJsonLine(unscored)));
    }

    [Fact]
    public void The_notification_line_names_the_regime_the_risk_reward_and_the_session()
    {
        var signal = TestSignals.Create(0, riskReward: 1.5) with { Time = Utc(2024, 1, 17, 12) };
        var scored = ConfidenceScorer.Seed.Score(signal, new ConfidenceInputs(
            new MarketContext(30, 25, 10, 0.001, 0.5, MarketRegime.Trending), StrategyStyle.TrendFollowing, [], [At("GBP_USD", SignalDirection.Buy)]));

        Assert.Equal($"Confidence {scored.Confidence:P0}: regime fits, RR 1.5, London/NY overlap, overlaps open signals".Replace(" %", "%"),
            ConfidenceExplanation.Line(scored));
        Assert.Null(ConfidenceExplanation.Line(signal));
    }
}
