using SignalFlow.Domain;
using SignalFlow.Grains;

namespace SignalFlow.Notifications;

/// <summary>
/// The last signals the notification grain took, in order, for live followers (the API's Server-Sent Events). Every
/// signal of the cluster passes that one grain, so its order is the cluster's. Memory only: a new activation starts
/// empty, and followers are told (<see cref="LiveSignals.Continuous"/> false) when their position is gone.
/// </summary>
public sealed class RecentSignals(int capacity)
{
    private readonly LinkedList<Signal> _signals = new();
    private readonly Dictionary<string, LinkedListNode<Signal>> _byId = new(StringComparer.Ordinal);

    /// <summary>Appends the signal unless it is already in the window (a re-delivered enqueue).</summary>
    public void Add(Signal signal)
    {
        if (capacity <= 0 || _byId.ContainsKey(signal.Id))
        {
            return;
        }

        _byId[signal.Id] = _signals.AddLast(signal);
        if (_signals.Count > capacity)
        {
            _byId.Remove(_signals.First!.Value.Id);
            _signals.RemoveFirst();
        }
    }

    public LiveSignals After(string? signalId)
    {
        if (signalId is null)
        {
            return new LiveSignals(_signals.ToList(), Continuous: true);
        }

        if (!_byId.TryGetValue(signalId, out var node))
        {
            return new LiveSignals(_signals.ToList(), Continuous: false);
        }

        var after = new List<Signal>();
        for (var next = node.Next; next is not null; next = next.Next)
        {
            after.Add(next.Value);
        }

        return new LiveSignals(after, Continuous: true);
    }
}
