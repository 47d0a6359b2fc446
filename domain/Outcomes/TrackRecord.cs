using SignalFlow.Domain;

namespace SignalFlow.Outcomes;

/// <summary>
/// A strategy's or a series' results over all time and over its last <see cref="RecentWindow"/> resolved signals (by
/// exit time): what the confidence score, the API and the CLI show. <see cref="Recent"/> counts no open signal.
/// </summary>
public sealed record TrackRecord(OutcomeStatistics AllTime, OutcomeStatistics Recent, int RecentWindow)
{
    public static TrackRecord Of(IEnumerable<SignalOutcome> outcomes, int recentWindow)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(recentWindow, 1);
        var all = outcomes as IReadOnlyCollection<SignalOutcome> ?? outcomes.ToList();
        var recent = OutcomeStatistics.InExitOrder(all).TakeLast(recentWindow);
        return new TrackRecord(OutcomeStatistics.Of(all), OutcomeStatistics.Of(recent), recentWindow);
    }

    /// <summary>One track record per strategy id.</summary>
    public static IReadOnlyDictionary<string, TrackRecord> ByStrategy(IEnumerable<(Signal Signal, SignalOutcome Outcome)> outcomes, int recentWindow) =>
        outcomes.GroupBy(o => o.Signal.StrategyId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Of(g.Select(o => o.Outcome), recentWindow), StringComparer.Ordinal);

    /// <summary>One track record per instrument/timeframe, over all the strategies that trade it.</summary>
    public static IReadOnlyDictionary<SeriesKey, TrackRecord> BySeries(IEnumerable<(Signal Signal, SignalOutcome Outcome)> outcomes, int recentWindow) =>
        outcomes.GroupBy(o => o.Signal.Series)
            .ToDictionary(g => g.Key, g => Of(g.Select(o => o.Outcome), recentWindow));
}
