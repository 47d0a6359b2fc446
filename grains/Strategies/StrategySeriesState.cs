using System.Text.Json.Serialization;
using SignalFlow.Indicators;
using SignalFlow.Outcomes;

namespace SignalFlow.Strategies;

/// <summary>
/// Persisted by each strategy grain: where the series stands and everything its <see cref="SeriesRunner"/> holds (each
/// strategy's indicator state, its signals still running, its recent resolved outcomes).
/// </summary>
[GenerateSerializer]
public sealed class StrategySeriesState
{
    /// <summary>Start time of the newest candle fully processed (signals stored); older or equal ones are ignored.</summary>
    [Id(0)] public DateTime? LastCandleTime { get; set; }

    [Id(1)] public long CandlesProcessed { get; set; }

    [Id(2)] public long StaleCandlesIgnored { get; set; }

    /// <summary>MA crossover states written before strategy kinds existed, by strategy id: read once, migrated, then cleared.</summary>
    [Id(3)]
    [JsonPropertyName("strategies")]
    public Dictionary<string, MovingAverageCrossoverState> LegacyStrategies { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Each strategy's state, of any kind, by strategy id.</summary>
    [Id(4)] public Dictionary<string, StrategyState> StrategyStates { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Each strategy's stored signals still running, followed on every closed candle until they resolve.</summary>
    [Id(5)] public Dictionary<string, List<OutcomeTrackerState>> OpenOutcomes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Each strategy's last resolved outcomes: its recent track record.</summary>
    [Id(6)] public Dictionary<string, List<SignalOutcome>> RecentOutcomes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The series' market context (docs/signal-quality.md); null in state saved before it existed (it warms up).</summary>
    [Id(7)] public IndicatorState? MarketContext { get; set; }

    /// <summary>A view of the fields above, not stored: stored, it wrote every window twice (half the state's JSON).</summary>
    [JsonIgnore]
    public SeriesRunnerState Runner => new() { Strategies = StrategyStates, OpenOutcomes = OpenOutcomes, RecentOutcomes = RecentOutcomes, MarketContext = MarketContext };

    public void Save(SeriesRunnerState runner)
    {
        StrategyStates = runner.Strategies;
        OpenOutcomes = runner.OpenOutcomes;
        RecentOutcomes = runner.RecentOutcomes;
        MarketContext = runner.MarketContext;
        LegacyStrategies.Clear();
    }

    /// <summary>Lets go of the runner's state once it is written or resumed: the live runner holds the same.</summary>
    public void ReleaseRunner()
    {
        StrategyStates = new(StringComparer.Ordinal);
        OpenOutcomes = new(StringComparer.Ordinal);
        RecentOutcomes = new(StringComparer.Ordinal);
        MarketContext = null;
    }
}
