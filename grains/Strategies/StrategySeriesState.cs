namespace SignalFlow.Strategies;

/// <summary>Persisted by each strategy grain: where the series stands and each strategy's indicator state.</summary>
[GenerateSerializer]
public sealed class StrategySeriesState
{
    /// <summary>Start time of the newest candle fully processed (signals stored); older or equal ones are ignored.</summary>
    [Id(0)] public DateTime? LastCandleTime { get; set; }

    [Id(1)] public long CandlesProcessed { get; set; }

    [Id(2)] public long StaleCandlesIgnored { get; set; }

    /// <summary>By strategy id.</summary>
    [Id(3)] public Dictionary<string, MovingAverageCrossoverState> Strategies { get; set; } = new(StringComparer.Ordinal);
}
