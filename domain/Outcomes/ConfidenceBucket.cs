using SignalFlow.Domain;

namespace SignalFlow.Outcomes;

/// <summary>
/// The resolved signals whose confidence lies in [<see cref="Min"/>, <see cref="Max"/>) (the top bucket includes 1):
/// how many, their win rate and expectancy in R (null without one). The report's <c>by_confidence</c> shows whether
/// the score separates winners from losers (docs/signal-quality.md).
/// </summary>
public sealed record ConfidenceBucket(double Min, double Max, int Signals, double? WinRate, double? ExpectancyR)
{
    /// <summary>The bucket edges: &lt; 0.4, 0.4–0.6, 0.6–0.8, ≥ 0.8.</summary>
    public static IReadOnlyList<(double Min, double Max)> Edges { get; } = [(0, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 1)];

    /// <summary>
    /// The four buckets over the closed outcomes whose signal has a confidence (<paramref name="confidenceOf"/> by
    /// signal id); open outcomes and signals without a confidence are in none.
    /// </summary>
    public static IReadOnlyList<ConfidenceBucket> Of(IEnumerable<SignalOutcome> outcomes, Func<string, double?> confidenceOf)
    {
        var scored = outcomes.Where(o => o.IsClosed)
            .Select(o => (Outcome: o, Confidence: confidenceOf(o.SignalId)))
            .Where(o => o.Confidence is not null)
            .ToList();
        return Edges.Select((edge, i) =>
        {
            var last = i == Edges.Count - 1;
            var inBucket = scored.Where(o => o.Confidence >= edge.Min && (o.Confidence < edge.Max || (last && o.Confidence <= edge.Max)))
                .Select(o => o.Outcome);
            var statistics = OutcomeStatistics.Of(inBucket);
            return new ConfidenceBucket(edge.Min, edge.Max, statistics.Signals, statistics.WinRate, statistics.ExpectancyR);
        }).ToList();
    }

    /// <summary>Confidence by signal id, for <see cref="Of"/>.</summary>
    public static Func<string, double?> Lookup(IEnumerable<Signal> signals)
    {
        var byId = signals.ToDictionary(s => s.Id, s => s.Confidence, StringComparer.Ordinal);
        return id => byId.GetValueOrDefault(id);
    }
}
