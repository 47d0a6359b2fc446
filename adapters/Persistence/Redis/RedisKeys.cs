using SignalFlow.Domain;
using StackExchange.Redis;

namespace SignalFlow.Persistence.Redis;

/// <summary>
/// The Redis keys of SignalFlow's stores, all under one prefix so several deployments can share a server.
/// Times are scored as Unix milliseconds: exact in a double and ordered like the times themselves.
/// </summary>
public sealed class RedisKeys(string prefix)
{
    public const string DefaultPrefix = "signalflow";

    /// <summary>Hash: signal id → signal JSON.</summary>
    public RedisKey Signals { get; } = $"{prefix}:signals";

    /// <summary>Sorted set of every signal id, scored by candle time.</summary>
    public RedisKey SignalsByTime { get; } = $"{prefix}:signals:by-time";

    /// <summary>Hash: signal id → its outcome JSON (HSETNX: recorded once).</summary>
    public RedisKey SignalOutcomes { get; } = $"{prefix}:signals:outcomes";

    /// <summary>Sorted set of one series' signal ids, scored by candle time.</summary>
    public RedisKey SignalsOf(SeriesKey series) => $"{prefix}:signals:series:{series}";

    /// <summary>Hash of one signal's notification status: <c>status</c> → overall, <c>channel:{name}</c> → entry JSON.</summary>
    public RedisKey NotificationsOf(string signalId) => $"{prefix}:signals:notifications:{signalId}";

    /// <summary>Sorted set of one series' candles, scored by candle time, one member per time.</summary>
    public RedisKey CandlesOf(SeriesKey series) => $"{prefix}:candles:{series}";

    public static double Score(DateTime utc) => MillisecondTime.Floor(utc);

    public static DateTime FromScore(double score) => DateTime.UnixEpoch.AddTicks((long)score * TimeSpan.TicksPerMillisecond);
}
