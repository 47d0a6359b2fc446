namespace SignalFlow.Grains;

/// <summary>
/// The one reader of OANDA's pricing stream in the cluster (key 0). A reminder keeps it alive, so when its silo
/// dies another silo activates it, reconnects and backfills the gap. It forwards ticks to the ingestion grains.
/// </summary>
public interface IOandaFeedGrain : IGrainWithIntegerKey
{
    /// <summary>The key of the one activation.</summary>
    const long SingletonKey = 0;

    /// <summary>
    /// Registers the keep-alive reminder and starts the stream reader unless it runs or was stopped by OANDA refusing
    /// access; restarts a running reader when the runtime strategy set asks for other instruments or timeframes.
    /// </summary>
    Task EnsureRunningAsync();

    Task<OandaFeedStatus> GetStatusAsync();
}

public enum OandaFeedState
{
    NotStarted,
    Connecting,
    Streaming,
    Stopped,
}

/// <summary>
/// What the feed is doing. <see cref="StreamTime"/> is the newest time the current connection stamped on a price or
/// heartbeat, once handed to ingestion: live candles up to it are closed.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record OandaFeedStatus(
    [property: Id(0)] OandaFeedState State,
    [property: Id(1)] DateTime? ConnectedAt,
    [property: Id(2)] DateTime? LastTickTime,
    [property: Id(3)] long Connections,
    [property: Id(4)] long TicksForwarded,
    [property: Id(5)] long BackfilledCandles,
    [property: Id(6)] string? LastError,
    [property: Id(7)] DateTime? StreamTime = null);
