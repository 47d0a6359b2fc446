using SignalFlow.Validation;

namespace SignalFlow.Tests.Validation;

public class ValidationOptionsTests
{
    private static readonly HashSet<string> Known = ["ma", "rsi"];

    [Fact]
    public void A_strategy_inherits_the_global_rules_and_its_overrides_replace_them()
    {
        var options = new ValidationOptions
        {
            MinConfidence = 0.6,
            Sessions = ["London", "NewYork"],
            NewsBlackout = true,
            NewsBefore = TimeSpan.FromMinutes(10),
            NewsCalendarPath = "news.csv",
            MaxOpenPerCurrencySide = 2,
            Strategies =
            {
                ["rsi"] = new ValidationRuleOptions { MinConfidence = 0, Sessions = ["Any"], NewsAfter = TimeSpan.FromHours(1), MaxOpenPerCurrencySide = 0, AllowUnscored = true },
            },
        };

        var global = options.RulesFor("ma");
        var rsi = options.RulesFor("rsi");

        Assert.Empty(options.Problems(Known));
        Assert.Equal((0.6, false, "London, NewYork", 2), (global.MinConfidence, global.AllowUnscored, global.Sessions.ToString(), global.MaxOpenPerCurrencySide));
        Assert.Equal(new NewsWindow(TimeSpan.FromMinutes(10), ValidationOptions.DefaultNewsWindow), global.NewsBlackout);
        Assert.Equal((null, true, true, null), (rsi.MinConfidence, rsi.AllowUnscored, rsi.Sessions.IsUnrestricted, rsi.MaxOpenPerCurrencySide));
        Assert.Equal(new NewsWindow(TimeSpan.FromMinutes(10), TimeSpan.FromHours(1)), rsi.NewsBlackout);
    }

    [Fact]
    public void No_configuration_means_no_rule()
    {
        var rules = new ValidationOptions().RulesFor("ma");

        Assert.Equal((null, false, true, null, null), (rules.MinConfidence, rules.AllowUnscored, rules.Sessions.IsUnrestricted, rules.NewsBlackout, rules.MaxOpenPerCurrencySide));
    }

    [Fact]
    public void Bad_values_unknown_strategies_and_a_blackout_without_calendar_are_reported_each()
    {
        var options = new ValidationOptions
        {
            MinConfidence = 1.5,
            Sessions = ["Frankfurt"],
            SuppressionsKept = 0,
            Strategies = { ["typo"] = new ValidationRuleOptions { NewsBlackout = true, NewsBefore = TimeSpan.FromMinutes(-1), MaxOpenPerCurrencySide = -1 } },
        };

        var problems = options.Problems(Known).ToList();

        Assert.Equal(
            [
                "SignalFlow:Validation:MinConfidence must be between 0 and 1.",
                "SignalFlow:Validation:Sessions: 'Frankfurt' is neither a session (Sydney, Tokyo, London, NewYork), 'Any' alone, nor a UTC range HH:mm-HH:mm.",
                "SignalFlow:Validation:Strategies:typo names no configured strategy.",
                "SignalFlow:Validation:Strategies:typo:NewsBefore and NewsAfter must not be negative.",
                "SignalFlow:Validation:Strategies:typo:MaxOpenPerCurrencySide must not be negative (0: no limit).",
                "SignalFlow:Validation:SuppressionsKept must be at least 1.",
                "SignalFlow:Validation:NewsCalendarPath is required when a news blackout is on.",
            ],
            problems);
    }
}
