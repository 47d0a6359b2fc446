using SignalFlow.Domain;

namespace SignalFlow.Oanda;

/// <summary>The tick aggregation of one instrument, persisted with its ingestion grain so a restart resumes it.</summary>
[GenerateSerializer]
public sealed class TickAggregationState
{
    [Id(0)] public TickAggregationPlan? Plan { get; set; }

    /// <summary>Time of the newest accepted tick: a tick at or before it was seen already (e.g. the snapshot after a reconnect).</summary>
    [Id(1)] public DateTime? LastTickTime { get; set; }

    /// <summary>Per timeframe code, the candle being built.</summary>
    [Id(2)] public Dictionary<string, OpenCandle> Open { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Per timeframe code, the first period start built live: periods under way when the stream started are backfilled.</summary>
    [Id(3)] public Dictionary<string, DateTime> LiveFrom { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Per timeframe code, the end of the newest closed candle; a tick before it is too late for its candle.</summary>
    [Id(4)] public Dictionary<string, DateTime> ClosedThrough { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Closed candles not yet through the ingestion gate, oldest first.</summary>
    [Id(5)] public List<Candle> PendingClosed { get; set; } = [];

    [Id(6)] public long TicksAccepted { get; set; }

    /// <summary>Rejected ticks by reason.</summary>
    [Id(7)] public Dictionary<string, long> TicksRejected { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// How far the current connection is known to have delivered: the newest time the stream stamped on anything it
    /// sent (a price of any instrument, a heartbeat). Everything stamped before it has arrived.
    /// </summary>
    [Id(8)] public DateTime? StreamTime { get; set; }
}

/// <summary>A candle under construction, in exact decimal mid prices; volume is the tick count.</summary>
[GenerateSerializer]
public sealed class OpenCandle
{
    [Id(0)] public DateTime Start { get; set; }
    [Id(1)] public DateTime End { get; set; }
    [Id(2)] public decimal Open { get; set; }
    [Id(3)] public decimal High { get; set; }
    [Id(4)] public decimal Low { get; set; }
    [Id(5)] public decimal Close { get; set; }
    [Id(6)] public long Volume { get; set; }
}
