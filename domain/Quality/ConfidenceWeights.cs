using System.Globalization;

namespace SignalFlow.Quality;

/// <summary>
/// <c>SignalFlow:Confidence:Weights</c>: each factor's weight in the confidence score. The defaults are the owner's seed
/// weights; any weights must lie in [0, 1] and sum to 1 (within 1e-9), so the score stays in [0, 1].
/// </summary>
public sealed class ConfidenceWeights
{
    public double RiskReward { get; set; } = 0.25;

    public double AtrEnvironment { get; set; } = 0.15;

    public double TimeOfDay { get; set; } = 0.10;

    public double MarketSession { get; set; } = 0.10;

    public double RecentPerformance { get; set; } = 0.20;

    public double VolatilityRegime { get; set; } = 0.15;

    public double Correlation { get; set; } = 0.05;

    public static ConfidenceWeights Seed { get; } = new();

    /// <summary>The weights by factor name, in the order factors are reported.</summary>
    public IReadOnlyList<(string Factor, double Weight)> ByFactor =>
    [
        (ConfidenceScorer.RiskRewardFactor, RiskReward),
        (ConfidenceScorer.AtrEnvironmentFactor, AtrEnvironment),
        (ConfidenceScorer.TimeOfDayFactor, TimeOfDay),
        (ConfidenceScorer.MarketSessionFactor, MarketSession),
        (ConfidenceScorer.RecentPerformanceFactor, RecentPerformance),
        (ConfidenceScorer.VolatilityRegimeFactor, VolatilityRegime),
        (ConfidenceScorer.CorrelationFactor, Correlation),
    ];

    /// <summary>What is wrong with the weights; empty when they are usable.</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var (factor, weight) in ByFactor)
        {
            if (!(weight >= 0 && weight <= 1))
            {
                yield return string.Create(CultureInfo.InvariantCulture, $"the weight of '{factor}' is {weight}; weights lie in [0, 1]");
            }
        }

        var sum = ByFactor.Sum(f => f.Weight);
        if (!(Math.Abs(sum - 1) <= 1e-9))
        {
            yield return string.Create(CultureInfo.InvariantCulture,
                $"the weights sum to {sum:0.#########}, not 1 ({string.Join(", ", ByFactor.Select(f => $"{f.Factor} {f.Weight}"))})");
        }
    }
}
