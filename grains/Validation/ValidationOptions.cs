using SignalFlow.Validation;

namespace SignalFlow.Validation;

/// <summary>Validation rules as configured: globally (<c>SignalFlow:Validation</c>) or for one strategy (<c>SignalFlow:Validation:Strategies:{id}</c>); unset means inherited.</summary>
public class ValidationRuleOptions
{
    /// <summary>Signals with a lower confidence are suppressed (0 to 1; 0 or unset: no minimum).</summary>
    public double? MinConfidence { get; set; }

    /// <summary>Whether a signal without a confidence passes a minimum (default false: it cannot show that it meets it).</summary>
    public bool? AllowUnscored { get; set; }

    /// <summary>Sessions signals may be issued in: Sydney, Tokyo, London, NewYork, or UTC ranges <c>HH:mm-HH:mm</c>; <c>Any</c> lifts a global list.</summary>
    public List<string>? Sessions { get; set; }

    /// <summary>Whether signals on a pair are held back around high-impact news on either of its currencies.</summary>
    public bool? NewsBlackout { get; set; }

    /// <summary>How long before a high-impact event the blackout starts (default 30 minutes).</summary>
    public TimeSpan? NewsBefore { get; set; }

    /// <summary>How long after a high-impact event the blackout lasts (default 30 minutes).</summary>
    public TimeSpan? NewsAfter { get; set; }

    /// <summary>Most signals open at once across the cluster long (or short) one currency; 0 or unset: no limit.</summary>
    public int? MaxOpenPerCurrencySide { get; set; }
}

/// <summary><c>SignalFlow:Validation</c>: the global rules, the news calendar, and per-strategy overrides.</summary>
public sealed class ValidationOptions : ValidationRuleOptions
{
    public const string Section = "SignalFlow:Validation";

    public static readonly TimeSpan DefaultNewsWindow = TimeSpan.FromMinutes(30);

    /// <summary>The news calendar CSV (required when a news blackout is on); reloaded when the file changes.</summary>
    public string? NewsCalendarPath { get; set; }

    /// <summary>How many of the most recent suppressions the suppression record keeps.</summary>
    public int SuppressionsKept { get; set; } = 1000;

    /// <summary>Overrides by strategy id.</summary>
    public Dictionary<string, ValidationRuleOptions> Strategies { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The rules of strategy <paramref name="strategyId"/>: its overrides, else the global values, else the defaults.</summary>
    public ValidationRuleSet RulesFor(string strategyId) => Resolve(Strategies.GetValueOrDefault(strategyId));

    /// <summary>Problems of the global rules and of each strategy's overrides, one sentence each.</summary>
    public IEnumerable<string> Problems(IReadOnlySet<string> knownStrategies)
    {
        foreach (var problem in ProblemsOf(Section, this))
        {
            yield return problem;
        }

        foreach (var (id, overrides) in Strategies)
        {
            if (!knownStrategies.Contains(id))
            {
                yield return $"{Section}:Strategies:{id} names no configured strategy.";
            }

            foreach (var problem in ProblemsOf($"{Section}:Strategies:{id}", overrides))
            {
                yield return problem;
            }
        }

        if (SuppressionsKept < 1)
        {
            yield return $"{Section}:SuppressionsKept must be at least 1.";
        }

        if (string.IsNullOrWhiteSpace(NewsCalendarPath) && (NewsBlackout == true || Strategies.Values.Any(s => s.NewsBlackout == true)))
        {
            yield return $"{Section}:NewsCalendarPath is required when a news blackout is on.";
        }
    }

    private static IEnumerable<string> ProblemsOf(string section, ValidationRuleOptions rules)
    {
        if (rules.MinConfidence is < 0 or > 1)
        {
            yield return $"{section}:MinConfidence must be between 0 and 1.";
        }

        if (rules.Sessions is { } sessions && !TradingSessions.TryParse(sessions, out _, out var error))
        {
            yield return $"{section}:Sessions: {error}";
        }

        if (rules.NewsBefore < TimeSpan.Zero || rules.NewsAfter < TimeSpan.Zero)
        {
            yield return $"{section}:NewsBefore and NewsAfter must not be negative.";
        }

        if (rules.MaxOpenPerCurrencySide < 0)
        {
            yield return $"{section}:MaxOpenPerCurrencySide must not be negative (0: no limit).";
        }
    }

    private ValidationRuleSet Resolve(ValidationRuleOptions? overrides)
    {
        var minimum = overrides?.MinConfidence ?? MinConfidence;
        var sessions = overrides?.Sessions ?? Sessions;
        var maxOpen = overrides?.MaxOpenPerCurrencySide ?? MaxOpenPerCurrencySide;
        var news = overrides?.NewsBlackout ?? NewsBlackout ?? false;
        return new ValidationRuleSet(
            minimum is > 0 ? minimum : null,
            overrides?.AllowUnscored ?? AllowUnscored ?? false,
            sessions is null ? TradingSessions.Always : TradingSessions.Parse(sessions),
            news ? new NewsWindow(overrides?.NewsBefore ?? NewsBefore ?? DefaultNewsWindow, overrides?.NewsAfter ?? NewsAfter ?? DefaultNewsWindow) : null,
            maxOpen is > 0 ? maxOpen : null);
    }
}
