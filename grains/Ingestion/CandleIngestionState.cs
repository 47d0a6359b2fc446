using SignalFlow.Oanda;

namespace SignalFlow.Ingestion;

/// <summary>Persisted by each ingestion grain: per timeframe code, the newest published candle and the counters.</summary>
[GenerateSerializer]
public sealed class CandleIngestionState
{
    [Id(0)] public Dictionary<string, SeriesIngestionCounters> Series { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Candles being built from the live price stream.</summary>
    [Id(1)] public TickAggregationState Ticks { get; set; } = new();
}

[GenerateSerializer]
public sealed class SeriesIngestionCounters
{
    [Id(0)] public DateTime? LastPublishedCandleTime { get; set; }
    [Id(1)] public long Published { get; set; }
    [Id(2)] public long Duplicates { get; set; }
    [Id(3)] public long OutOfOrder { get; set; }
    [Id(4)] public long Invalid { get; set; }
}
