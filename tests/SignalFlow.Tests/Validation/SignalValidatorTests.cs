using SignalFlow.Domain;
using SignalFlow.Portfolio;
using SignalFlow.Tests.Notifications;
using SignalFlow.Validation;

namespace SignalFlow.Tests.Validation;

public class SignalValidatorTests
{
    private static readonly NewsCalendar Calendar = NewsCalendar.Parse(NewsCalendarTests.Sample);

    /// <summary>An H1 signal issued (its candle closed) at <paramref name="issuedAt"/>.</summary>
    private static Signal Issued(string issuedAt, string instrument = "EUR_USD", double? confidence = 0.7) =>
        TestSignals.ClosingAt(DateTimeOffset.Parse(issuedAt, System.Globalization.CultureInfo.InvariantCulture), "H1", instrument) with { Confidence = confidence };

    private static ValidationRuleSet Rules(double? minConfidence = null, bool allowUnscored = false, string[]? sessions = null, NewsWindow? news = null) =>
        new(minConfidence, allowUnscored, TradingSessions.Parse(sessions ?? []), news, null);

    [Fact]
    public void Without_rules_nothing_is_suppressed()
    {
        Assert.Null(SignalValidator.Evaluate(Issued("2024-03-08T13:30:00Z", confidence: null), ValidationRuleSet.None, Calendar));
    }

    [Fact]
    public void Minimum_confidence_suppresses_lower_scores_only_with_the_score_in_the_reason()
    {
        var rules = Rules(minConfidence: 0.6);

        var low = SignalValidator.Evaluate(Issued("2024-03-05T12:00:00Z", confidence: 0.55), rules, Calendar);

        Assert.Equal(SuppressionRules.MinConfidence, low?.Rule);
        Assert.Equal("confidence 0.55 below the minimum 0.6", low?.Reason);
        Assert.Null(SignalValidator.Evaluate(Issued("2024-03-05T12:00:00Z", confidence: 0.6), rules, Calendar));
        Assert.Null(SignalValidator.Evaluate(Issued("2024-03-05T12:00:00Z", confidence: 0.9), rules, Calendar));
    }

    [Fact]
    public void A_signal_without_a_confidence_fails_a_minimum_unless_unscored_signals_are_allowed()
    {
        var unscored = Issued("2024-03-05T12:00:00Z", confidence: null);

        var refused = SignalValidator.Evaluate(unscored, Rules(minConfidence: 0.6), Calendar);

        Assert.Equal(SuppressionRules.MinConfidence, refused?.Rule);
        Assert.Contains("no confidence score", refused?.Reason, StringComparison.Ordinal);
        Assert.Null(SignalValidator.Evaluate(unscored, Rules(minConfidence: 0.6, allowUnscored: true), Calendar));
        Assert.Null(SignalValidator.Evaluate(unscored, Rules(), Calendar));
    }

    [Fact]
    public void Sessions_suppress_signals_issued_outside_them_at_their_candle_close()
    {
        var rules = Rules(sessions: ["London"]);

        // The candle opens at 07:00 UTC, inside London's summer hours only when it closes there: it closes at 08:00 in winter.
        Assert.Null(SignalValidator.Evaluate(Issued("2024-03-05T08:00:00Z"), rules, Calendar));
        var outside = SignalValidator.Evaluate(Issued("2024-03-05T07:00:00Z"), rules, Calendar);
        Assert.Equal(SuppressionRules.Session, outside?.Rule);
        Assert.Equal("issued at 2024-03-05 07:00 UTC, outside the allowed sessions (London)", outside?.Reason);
        Assert.Null(SignalValidator.Evaluate(Issued("2024-04-02T07:00:00Z"), rules, Calendar));
    }

    [Fact]
    public void News_blackout_suppresses_pairs_with_the_currency_around_high_impact_events_and_nothing_else()
    {
        var rules = Rules(news: new NewsWindow(TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(30)));

        var held = SignalValidator.Evaluate(Issued("2024-03-08T14:00:00Z", "USD_JPY"), rules, Calendar);

        Assert.Equal(SuppressionRules.NewsBlackout, held?.Rule);
        Assert.Equal("issued at 2024-03-08 14:00 UTC, within 0:30:00 before / 0:30:00 after the high-impact USD event 'Non-Farm Employment Change' at 2024-03-08 13:30 UTC", held?.Reason);
        Assert.Null(SignalValidator.Evaluate(Issued("2024-03-08T14:00:00Z", "GBP_JPY"), rules, Calendar));
        Assert.Null(SignalValidator.Evaluate(Issued("2024-03-08T15:00:00Z", "USD_JPY"), rules, Calendar));
        Assert.Null(SignalValidator.Evaluate(Issued("2024-03-08T14:00:00Z", "USD_JPY"), Rules(), Calendar));
    }

    [Fact]
    public void The_first_failing_rule_is_the_one_recorded()
    {
        var rules = Rules(minConfidence: 0.8, sessions: ["Tokyo"], news: new NewsWindow(TimeSpan.FromHours(1), TimeSpan.FromHours(1)));

        Assert.Equal(SuppressionRules.MinConfidence, SignalValidator.Evaluate(Issued("2024-03-08T14:00:00Z", confidence: 0.5), rules, Calendar)?.Rule);
        Assert.Equal(SuppressionRules.Session, SignalValidator.Evaluate(Issued("2024-03-08T14:00:00Z", confidence: 0.9), rules, Calendar)?.Rule);
    }

    [Fact]
    public void An_exposure_breach_becomes_an_exposure_suppression_naming_the_open_signals()
    {
        var breach = new ExposureBreach("USD", SignalDirection.Sell, 2, ["a", "b"]);

        Assert.Equal(new Suppression(SuppressionRules.Exposure, "2 open signal(s) already short USD (limit 2): a, b"), SignalValidator.ExposureSuppression(breach));
    }
}
