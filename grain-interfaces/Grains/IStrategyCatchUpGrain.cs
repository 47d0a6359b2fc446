namespace SignalFlow.Grains;

/// <summary>
/// The cluster's one owner of catch-up (key <see cref="SingletonKey"/>, kept alive by a reminder): every
/// <c>SignalFlow:Recovery:CatchUpInterval</c> it reads each configured series' newest stored candle and asks only the
/// strategy grains that missed one to process it from the store.
/// </summary>
public interface IStrategyCatchUpGrain : IGrainWithIntegerKey
{
    const long SingletonKey = 0;

    /// <summary>Activates the grain and registers its reminder; called by every silo at start.</summary>
    Task EnsureRunningAsync();

    /// <summary>One catch-up round now; returns the series asked to catch up.</summary>
    Task<IReadOnlyList<string>> RunRoundAsync();
}
