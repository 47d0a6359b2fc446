using SignalFlow.Domain;
using SignalFlow.Portfolio;

namespace SignalFlow.Validation;

/// <summary>The rules one strategy's signals must pass (the global rules with the strategy's overrides applied).</summary>
/// <param name="MinConfidence">Signals below it are suppressed; null: no minimum.</param>
/// <param name="AllowUnscored">Whether a signal without a confidence passes a minimum (it cannot show that it meets it).</param>
/// <param name="Sessions">When signals may be issued.</param>
/// <param name="NewsBlackout">The window around high-impact news on either currency of the pair; null: no blackout.</param>
/// <param name="MaxOpenPerCurrencySide">Most signals open at once long (or short) one currency; null: no limit.</param>
public sealed record ValidationRuleSet(
    double? MinConfidence,
    bool AllowUnscored,
    TradingSessions Sessions,
    NewsWindow? NewsBlackout,
    int? MaxOpenPerCurrencySide)
{
    public static ValidationRuleSet None { get; } = new(null, true, TradingSessions.Always, null, null);
}

/// <summary>How long before and after a high-impact event signals on its currency are held back.</summary>
public sealed record NewsWindow(TimeSpan Before, TimeSpan After);

/// <summary>Why a signal was held back: the rule (one of <see cref="SuppressionRules"/>) and a sentence for people.</summary>
[GenerateSerializer, Immutable]
public sealed record Suppression(
    [property: Id(0)] string Rule,
    [property: Id(1)] string Reason);

/// <summary>The rule names a suppression records (also the <c>rule</c> tag of the suppression counter).</summary>
public static class SuppressionRules
{
    public const string MinConfidence = "min_confidence";
    public const string Session = "session";
    public const string NewsBlackout = "news_blackout";
    public const string Exposure = "exposure";

    public static IReadOnlyList<string> All { get; } = [MinConfidence, Session, NewsBlackout, Exposure];
}

/// <summary>
/// The rules a signal is judged by on its own (confidence, session, news), in that order; the first that fails
/// suppresses it. The exposure limit needs the whole portfolio and is judged where it lives
/// (<see cref="OpenSignalPortfolio.FindBreach"/>, <see cref="ExposureSuppression"/>). Times are the signal's issue
/// time: the close of its candle.
/// </summary>
public static class SignalValidator
{
    public static Suppression? Evaluate(Signal signal, ValidationRuleSet rules, NewsCalendar calendar)
    {
        var issuedAt = signal.Time + signal.Timeframe.Duration;
        if (rules.MinConfidence is { } minimum)
        {
            if (signal.Confidence is not { } confidence)
            {
                if (!rules.AllowUnscored)
                {
                    return new Suppression(SuppressionRules.MinConfidence, $"no confidence score (minimum {minimum:0.##}; unscored signals are not allowed)");
                }
            }
            else if (confidence < minimum)
            {
                return new Suppression(SuppressionRules.MinConfidence, $"confidence {confidence:0.###} below the minimum {minimum:0.##}");
            }
        }

        if (!rules.Sessions.Allows(issuedAt))
        {
            return new Suppression(SuppressionRules.Session, $"issued at {issuedAt:yyyy-MM-dd HH:mm} UTC, outside the allowed sessions ({rules.Sessions})");
        }

        if (rules.NewsBlackout is { } window && calendar.FindBlackout(signal.Instrument, issuedAt, window.Before, window.After) is { } news)
        {
            var title = news.Title.Length > 0 ? $" '{news.Title}'" : "";
            return new Suppression(SuppressionRules.NewsBlackout,
                $"issued at {issuedAt:yyyy-MM-dd HH:mm} UTC, within {window.Before:g} before / {window.After:g} after the high-impact {news.Currency} event{title} at {news.Time:yyyy-MM-dd HH:mm} UTC");
        }

        return null;
    }

    public static Suppression ExposureSuppression(ExposureBreach breach) => new(SuppressionRules.Exposure, breach.Describe());
}
