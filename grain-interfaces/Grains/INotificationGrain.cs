using SignalFlow.Domain;

namespace SignalFlow.Grains;

/// <summary>
/// The cluster-wide singleton that takes stored signals for delivery. A call returns as soon as the signal is
/// accepted; delivery never blocks the caller.
/// </summary>
public interface INotificationGrain : IGrainWithIntegerKey
{
    /// <summary>The key of the one activation.</summary>
    const long SingletonKey = 0;

    Task EnqueueAsync(Signal signal);
}
