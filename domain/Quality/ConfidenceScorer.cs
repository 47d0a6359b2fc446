using SignalFlow.Domain;
using SignalFlow.Outcomes;
using SignalFlow.Portfolio;
using SignalFlow.Strategies;

namespace SignalFlow.Quality;

/// <summary>What a signal's confidence is judged on besides the signal itself.</summary>
/// <param name="Context">The series' market context after the signal's candle.</param>
/// <param name="Style">The style of the signal's strategy kind.</param>
/// <param name="RecentOutcomes">The same strategy's resolved outcomes on the series, any order (the last ones by exit time count).</param>
/// <param name="OpenSignals">The other signals open at the signal's time (the signal itself, if present, is ignored).</param>
public sealed record ConfidenceInputs(
    MarketContext Context,
    StrategyStyle Style,
    IReadOnlyCollection<SignalOutcome> RecentOutcomes,
    IReadOnlyCollection<OpenSignal> OpenSignals);

/// <summary>
/// The confidence score (docs/signal-quality.md): seven factors, each a pure function scoring in [0, 1], weighted by
/// <see cref="ConfidenceWeights"/> into a confidence in [0, 1]. A factor without the data it needs (context still
/// warming up, too few resolved signals) scores a neutral 0.5 rather than guessing either way.
/// </summary>
public sealed class ConfidenceScorer
{
    public const string RiskRewardFactor = "risk_reward";
    public const string AtrEnvironmentFactor = "atr_environment";
    public const string TimeOfDayFactor = "time_of_day";
    public const string MarketSessionFactor = "market_session";
    public const string RecentPerformanceFactor = "recent_performance";
    public const string VolatilityRegimeFactor = "volatility_regime";
    public const string CorrelationFactor = "correlation";

    public const double Neutral = 0.5;

    /// <summary>Resolved signals needed before recent performance counts; fewer say little about a strategy.</summary>
    public const int RecentMinimum = 5;

    /// <summary>The last resolved signals recent performance looks at.</summary>
    public const int RecentWindow = 20;

    private readonly ConfidenceWeights _weights;

    public ConfidenceScorer(ConfidenceWeights weights)
    {
        if (weights.Problems().ToList() is { Count: > 0 } problems)
        {
            throw new ArgumentException($"Confidence weights: {string.Join("; ", problems)}.", nameof(weights));
        }

        _weights = weights;
    }

    public static ConfidenceScorer Seed { get; } = new(ConfidenceWeights.Seed);

    /// <summary>The signal with its confidence and factor breakdown.</summary>
    public Signal Score(Signal signal, ConfidenceInputs inputs)
    {
        var factors = new ConfidenceFactors(_weights.ByFactor.Select(w => new ConfidenceFactor(w.Factor, ScoreOf(w.Factor, signal, inputs), w.Weight)));
        return signal with { Confidence = Math.Clamp(factors.Total(), 0, 1), ConfidenceFactors = factors };
    }

    /// <summary>
    /// A scored signal with more concurrent signals in its correlation factor (other series' open signals, which the
    /// series runner does not see): each shared leg takes 0.25 more off, down to 0, exactly as if they had been in the
    /// first count; the confidence is summed again.
    /// </summary>
    public static Signal WithOtherOpenSignals(Signal scored, IEnumerable<OpenSignal> others)
    {
        if (scored.ConfidenceFactors is not { } factors || factors.Find(CorrelationFactor) is not { } correlation)
        {
            return scored;
        }

        var extra = 1 - Correlation(scored, others);
        if (extra == 0)
        {
            return scored;
        }

        var updated = new ConfidenceFactors(factors.Select(f => f.Name == CorrelationFactor ? f with { Score = Math.Max(0, correlation.Score - extra) } : f));
        return scored with { Confidence = Math.Clamp(updated.Total(), 0, 1), ConfidenceFactors = updated };
    }

    private static double ScoreOf(string factor, Signal signal, ConfidenceInputs inputs) => factor switch
    {
        RiskRewardFactor => RiskReward(signal.RiskRewardRatio),
        AtrEnvironmentFactor => AtrEnvironment(inputs.Context.AtrPercentile),
        TimeOfDayFactor => TimeOfDay(signal.IssuedAt, signal.Timeframe),
        MarketSessionFactor => MarketSession(signal.Instrument, signal.IssuedAt),
        RecentPerformanceFactor => RecentPerformance(inputs.RecentOutcomes),
        VolatilityRegimeFactor => VolatilityRegime(inputs.Context.Regime, inputs.Style),
        CorrelationFactor => Correlation(signal, inputs.OpenSignals),
        _ => throw new ArgumentOutOfRangeException(nameof(factor), factor, "Unknown confidence factor."),
    };

    /// <summary>
    /// <c>clamp((RR − 1)/2, 0, 1)</c>: a target no farther than the stop earns nothing (the trade needs a win rate above
    /// one half to pay), each extra unit of reward earns half, and beyond 3:1 nothing more (such targets are rarely reached).
    /// </summary>
    public static double RiskReward(double riskReward) => double.IsNaN(riskReward) ? 0 : Math.Clamp((riskReward - 1) / 2, 0, 1);

    /// <summary>
    /// From the ATR percentile p: 1 in the typical band 0.2 ≤ p ≤ 0.8, falling linearly to 0 at either extreme
    /// (<c>min(1, p/0.2, (1 − p)/0.2)</c>): ATR-sized stops and targets are calibrated on typical volatility; in the
    /// quietest stretch moves rarely carry to the target, in the wildest the stop is noise. Neutral while unknown.
    /// </summary>
    public static double AtrEnvironment(double? atrPercentile) =>
        atrPercentile is { } p ? Math.Clamp(Math.Min(p, 1 - p) / 0.2, 0, 1) : Neutral;

    /// <summary>
    /// How much of the trading week is left and whether the signal lands on the daily rollover:
    /// <c>min(1, hours until Friday 17:00 New York / 24)</c> (a trade opened shortly before the weekend close carries
    /// the weekend gap before it can develop), halved for an intraday timeframe issued within an hour of the 17:00 New
    /// York rollover (spreads widen and liquidity thins; daily candles all close there, so they are not penalised for it).
    /// </summary>
    public static double TimeOfDay(DateTime issuedAtUtc, Timeframe timeframe)
    {
        var newYork = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(issuedAtUtc, DateTimeKind.Utc), TradingSessions.NewYorkZone);
        var rollover = newYork.Date.AddHours(17);
        var daysToFriday = ((int)DayOfWeek.Friday - (int)newYork.DayOfWeek + 7) % 7;
        var weekClose = rollover.AddDays(daysToFriday);
        if (newYork.DayOfWeek == DayOfWeek.Saturday || (newYork.DayOfWeek == DayOfWeek.Friday && newYork >= rollover)
            || (newYork.DayOfWeek == DayOfWeek.Sunday && newYork < rollover))
        {
            return 0;
        }

        var score = Math.Min(1, (weekClose - newYork).TotalHours / 24);
        var nearRollover = Math.Abs((newYork - rollover).TotalHours) <= 1;
        return timeframe.Duration < TimeSpan.FromDays(1) && nearRollover ? score / 2 : score;
    }

    /// <summary>
    /// <c>0.25 + 0.5·[a session of one of the pair's currencies is open] + 0.25·[two or more sessions are open]</c> at the
    /// time the signal is issued: a pair moves on its own currencies' business hours, most of all in an overlap
    /// (London/New York for EUR_USD scores 1; EUR_USD in the Tokyo session alone 0.25).
    /// </summary>
    public static double MarketSession(Instrument instrument, DateTime issuedAtUtc)
    {
        var open = TradingSessions.OpenAt(issuedAtUtc);
        var ownCurrency = open.Any(s => s.Currencies.Contains(instrument.BaseCurrency) || s.Currencies.Contains(instrument.QuoteCurrency));
        return 0.25 + (ownCurrency ? 0.5 : 0) + (open.Count >= 2 ? 0.25 : 0);
    }

    /// <summary>
    /// From the mean R of the strategy's last <see cref="RecentWindow"/> resolved signals (by exit time):
    /// <c>clamp(0.5 + meanR/2, 0, 1)</c>, so breaking even is neutral, +1R a signal is full marks and −1R none.
    /// Neutral until <see cref="RecentMinimum"/> have resolved.
    /// </summary>
    public static double RecentPerformance(IEnumerable<SignalOutcome> resolved)
    {
        var recent = OutcomeStatistics.InExitOrder(resolved).Where(o => o.RMultiple is not null).TakeLast(RecentWindow).ToList();
        return recent.Count < RecentMinimum ? Neutral : Math.Clamp(Neutral + (recent.Average(o => o.RMultiple!.Value) / 2), 0, 1);
    }

    /// <summary>
    /// How well the regime suits the kind: a trend-following kind scores 1 in a <c>trending</c> market, 0.5 in a
    /// <c>volatile</c> one and 0.25 in a <c>ranging</c> one; a mean-reverting kind 1 when <c>ranging</c> and 0.25
    /// otherwise (a range that breaks, or a spike, runs over a reversion entry). Neutral while the regime is unknown.
    /// </summary>
    public static double VolatilityRegime(MarketRegime? regime, StrategyStyle style) => (regime, style) switch
    {
        (null, _) => Neutral,
        (MarketRegime.Trending, StrategyStyle.TrendFollowing) => 1,
        (MarketRegime.Volatile, StrategyStyle.TrendFollowing) => 0.5,
        (MarketRegime.Ranging, StrategyStyle.MeanReversion) => 1,
        _ => 0.25,
    };

    /// <summary>
    /// <c>max(0, 1 − 0.25·shared)</c>, where <c>shared</c> counts, over the other open signals, the currencies on which
    /// both are on the same side (a EUR_USD BUY is long EUR and short USD; a GBP_USD BUY beside it shares the short USD,
    /// 1; a second EUR_USD BUY shares 2): each shared leg doubles a bet already placed. Opposite sides offset rather
    /// than add, so they do not count.
    /// </summary>
    public static double Correlation(Signal signal, IEnumerable<OpenSignal> openSignals)
    {
        var (longCurrency, shortCurrency) = signal.Direction == SignalDirection.Buy
            ? (signal.Instrument.BaseCurrency, signal.Instrument.QuoteCurrency)
            : (signal.Instrument.QuoteCurrency, signal.Instrument.BaseCurrency);
        var shared = openSignals.Where(o => o.SignalId != signal.Id)
            .Sum(o => (o.LongCurrency == longCurrency ? 1 : 0) + (o.ShortCurrency == shortCurrency ? 1 : 0));
        return Math.Max(0, 1 - (0.25 * shared));
    }
}
