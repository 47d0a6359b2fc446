using System.Diagnostics;

namespace SignalFlow.Silo.Hosting;

/// <summary>
/// System time whose timestamps count from their first use instead of from machine boot. Orleans' watchdog
/// (10.4) starts its platform thread before it sets the component thread's timestamp, so its first check measures
/// the elapsed time since timestamp 0: with the system clock that is the machine's uptime, and it warns
/// "Participant check thread has not completed for {uptime}" on most starts. Counted from first use, timestamp 0
/// is the watchdog's own start; real stalls still measure the same, since only differences of timestamps count.
/// Given to Orleans under its membership time-provider key, which its watchdog and membership components use.
/// </summary>
public sealed class FirstUseOriginTimeProvider : TimeProvider
{
    /// <summary>The key Orleans resolves its watchdog's and membership's <see cref="TimeProvider"/> with.</summary>
    public const string OrleansMembershipKey = "Orleans.Membership";

    private long _origin = long.MinValue;

    /// <summary>Gives Orleans one, after <c>UseOrleans</c>: every silo the app composes (the service, the pipeline backtest) calls this.</summary>
    public static void Register(IServiceCollection services) =>
        services.AddKeyedSingleton<TimeProvider>(OrleansMembershipKey, new FirstUseOriginTimeProvider());

    public override long TimestampFrequency => Stopwatch.Frequency;

    public override long GetTimestamp()
    {
        var now = Stopwatch.GetTimestamp();
        var origin = Interlocked.CompareExchange(ref _origin, now, long.MinValue);
        return now - (origin == long.MinValue ? now : origin);
    }
}
