namespace SignalFlow.Persistence;

/// <summary>
/// Unix milliseconds for stores that keep times at that precision (Redis scores, BSON dates) while the store
/// interfaces take tick-precise bounds. A bound is rounded outward or inward so that it selects exactly the whole-
/// millisecond times the tick bound selects: truncating <c>time + 1 tick</c> to <c>time</c> turned "through this
/// candle" into "before this candle", and a catch-up never read the last candle of a failover.
/// </summary>
public static class MillisecondTime
{
    /// <summary>The whole millisecond at or before <paramref name="utc"/>: for stored times, and for bounds used with &gt; or &lt;=.</summary>
    public static long Floor(DateTime utc)
    {
        var milliseconds = Math.DivRem((utc - DateTime.UnixEpoch).Ticks, TimeSpan.TicksPerMillisecond, out var rest);
        return rest < 0 ? milliseconds - 1 : milliseconds;
    }

    /// <summary>The whole millisecond at or after <paramref name="utc"/>: for bounds used with &lt; or &gt;=.</summary>
    public static long Ceiling(DateTime utc)
    {
        var milliseconds = Math.DivRem((utc - DateTime.UnixEpoch).Ticks, TimeSpan.TicksPerMillisecond, out var rest);
        return rest > 0 ? milliseconds + 1 : milliseconds;
    }
}
