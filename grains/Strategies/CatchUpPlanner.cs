using SignalFlow.Domain;

namespace SignalFlow.Strategies;

/// <summary>
/// Decides which strategy grains to ask to catch up, so that a round costs one store read per series and calls only
/// the grains that may have missed something. A candle is due when it was already the series' newest stored candle one
/// round ago (its stream had a whole interval to deliver it) and the grain has not confirmed it: a candle still on
/// its way is never processed from the store ahead of its stream, and a series with nothing new is never woken.
/// </summary>
public sealed class CatchUpPlanner
{
    private readonly Dictionary<SeriesKey, DateTime> _newestLastRound = [];
    private readonly Dictionary<SeriesKey, DateTime> _confirmed = [];

    /// <summary>Records the newest stored candle of <paramref name="series"/> now; returns the time to catch up through, if due.</summary>
    public DateTime? Observe(SeriesKey series, DateTime? newestStored)
    {
        DateTime? due = _newestLastRound.TryGetValue(series, out var seen) && (!_confirmed.TryGetValue(series, out var done) || seen > done)
            ? seen
            : null;
        if (newestStored is { } newest)
        {
            _newestLastRound[series] = newest;
        }

        return due;
    }

    /// <summary>
    /// The grain has processed through <paramref name="processedThrough"/> (null: it never started, so by design it
    /// has nothing to catch up with) after being asked to catch up through <paramref name="through"/>.
    /// </summary>
    public void Confirm(SeriesKey series, DateTime through, DateTime? processedThrough) =>
        _confirmed[series] = processedThrough is { } processed && processed > through ? processed : through;
}
