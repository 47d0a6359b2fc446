namespace SignalFlow.Strategies;

/// <summary><c>SignalFlow:Recovery</c>: how soon candles lost at the end of a series are recovered.</summary>
public sealed class RecoveryOptions
{
    public const string Section = "SignalFlow:Recovery";

    /// <summary>
    /// How often the cluster's catch-up grain compares each series' newest stored candle with what its strategy grain
    /// has processed. A gap is noticed at once when a later candle arrives; this bounds the delay when none does (the
    /// tail of a series). A stored candle is left to its stream for one interval before it counts as missed.
    /// </summary>
    public TimeSpan CatchUpInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Strategy and ingestion grains write their state once per this many candles, at once after a candle that produced
    /// a signal or an outcome (or an ingestion's first candle of a timeframe), and when the grain is collected (not at a
    /// silo stop). After a silo stops or is lost, its series re-read at most this many candles from the candle store
    /// and re-evaluate them into the same signal ids. 1 writes after every candle.
    /// </summary>
    public int CandlesPerStateWrite { get; set; } = 16;

    /// <summary>Period of the reminder that keeps the catch-up grain alive on some silo (Orleans' minimum is one minute).</summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);
}
