namespace SignalFlow.Grains;

/// <summary>
/// The one replay of the bundled demo candles in the cluster (key 0). Like the OANDA feed, a reminder keeps it
/// alive and every silo wakes it at start and when a silo dies, so the replay continues on another silo (after the
/// last candle each series already published) when its silo is lost.
/// </summary>
public interface IDemoFeedGrain : IGrainWithIntegerKey
{
    const long SingletonKey = 0;

    /// <summary>Registers the keep-alive reminder and starts the replay unless it runs or has finished.</summary>
    Task EnsureRunningAsync();

    Task<DemoFeedStatus> GetStatusAsync();
}

public enum DemoFeedState
{
    NotStarted,
    Replaying,
    Finished,
    Failed,
}

/// <summary>What the replay is doing and on which silo (<see cref="Silo"/>).</summary>
[GenerateSerializer, Immutable]
public sealed record DemoFeedStatus(
    [property: Id(0)] DemoFeedState State,
    [property: Id(1)] int Published,
    [property: Id(2)] int Pending,
    [property: Id(3)] string Silo,
    [property: Id(4)] string? LastError);
