using SignalFlow.Domain;

namespace SignalFlow.Outcomes;

/// <summary>
/// The signals of one series still running, each followed by its own <see cref="OutcomeTracker"/> (every signal
/// independently of the others). A candle costs O(1) per running signal; resolved signals leave the book.
/// </summary>
public sealed class OutcomeBook
{
    private readonly List<OutcomeTracker> _running = [];

    public OutcomeBook()
    {
    }

    private OutcomeBook(IEnumerable<OutcomeTracker> running) => _running.AddRange(running);

    public static OutcomeBook Restore(IEnumerable<OutcomeTrackerState> running) => new(running.Select(OutcomeTracker.Restore));

    public int Count => _running.Count;

    /// <summary>The running signals, in the order they were added.</summary>
    public IEnumerable<OutcomeTracker> Running => _running;

    /// <summary>The running signals' open outcomes, in the order they were added.</summary>
    public IEnumerable<SignalOutcome> Open => _running.Select(t => t.Outcome);

    /// <summary>Starts following a signal from the candle after its own.</summary>
    public void Add(Signal signal, int? maxBarsHeld) => _running.Add(new OutcomeTracker(signal, maxBarsHeld));

    /// <summary>
    /// Feeds a closed candle to every running signal; the trackers of those it resolves (their <see cref="OutcomeTracker.Outcome"/>
    /// closed) go to <paramref name="resolved"/> and leave the book.
    /// </summary>
    public void Update(Candle candle, ICollection<OutcomeTracker> resolved)
    {
        var kept = 0;
        for (var i = 0; i < _running.Count; i++)
        {
            var tracker = _running[i];
            if (tracker.Update(candle) is not null)
            {
                resolved.Add(tracker);
            }
            else
            {
                _running[kept++] = tracker;
            }
        }

        _running.RemoveRange(kept, _running.Count - kept);
    }

    public List<OutcomeTrackerState> Snapshot() => _running.Select(t => t.Snapshot()).ToList();
}
