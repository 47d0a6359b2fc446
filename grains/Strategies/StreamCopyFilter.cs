namespace SignalFlow.Strategies;

/// <summary>
/// Recognizes the stream's copies of candles a strategy grain already processed from a direct delivery, so that they
/// are skipped rather than counted as stale: a candle the stream delivers is such a copy when it falls in a directly
/// delivered batch (first to last candle time) whose copy has not been seen through. The stream delivers a series in
/// order, so a batch is forgotten once a candle at or after its last one arrives. Held in memory only: after a
/// reactivation a late copy counts as stale, which is harmless (it is ignored either way).
/// </summary>
public sealed class StreamCopyFilter
{
    /// <summary>Batches remembered at most; the oldest goes first (a copy lost with its queue is never seen through).</summary>
    public const int Capacity = 64;

    private readonly Queue<(DateTime First, DateTime Last)> _awaited = new();

    /// <summary>A batch from <paramref name="first"/> to <paramref name="last"/> was processed from a direct delivery.</summary>
    public void Delivered(DateTime first, DateTime last)
    {
        if (_awaited.Count == Capacity)
        {
            _awaited.Dequeue();
        }

        _awaited.Enqueue((first, last));
    }

    /// <summary>True when the stream's candle at <paramref name="time"/> is the copy of a directly delivered one.</summary>
    public bool IsCopy(DateTime time)
    {
        while (_awaited.TryPeek(out var batch) && batch.Last < time)
        {
            _awaited.Dequeue();
        }

        if (!_awaited.TryPeek(out var oldest) || time < oldest.First)
        {
            return false;
        }

        if (time == oldest.Last)
        {
            _awaited.Dequeue();
        }

        return true;
    }
}
