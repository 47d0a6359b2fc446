using System.Globalization;
using SignalFlow.Candles;
using SignalFlow.Domain;
using StackExchange.Redis;

namespace SignalFlow.Persistence.Redis;

/// <summary>
/// Candles in one Redis sorted set per series, scored by candle time. Upserts replace the member stored at the same
/// time atomically (a Lua script), so re-storing a candle never leaves two members for one time.
/// </summary>
public sealed class RedisCandleStore(IConnectionMultiplexer redis, RedisKeys keys) : ICandleStore
{
    // ARGV holds (score, member) pairs; each pair replaces whatever the set holds at that score.
    private const string UpsertScript = """
        for i = 1, #ARGV, 2 do
          redis.call('ZREMRANGEBYSCORE', KEYS[1], ARGV[i], ARGV[i])
          redis.call('ZADD', KEYS[1], ARGV[i], ARGV[i + 1])
        end
        return #ARGV / 2
        """;

    public async Task StoreAsync(IReadOnlyList<Candle> candles, CancellationToken cancellationToken = default)
    {
        var database = redis.GetDatabase();
        foreach (var series in candles.GroupBy(c => c.Series))
        {
            var arguments = series.SelectMany(c => new RedisValue[] { RedisKeys.Score(c.Time), Encode(c) }).ToArray();
            await database.ScriptEvaluateAsync(UpsertScript, [keys.CandlesOf(series.Key)], arguments);
        }
    }

    public async Task<IReadOnlyList<Candle>> ReadRangeAsync(SeriesKey series, DateTime fromExclusive, DateTime toExclusive, int limit, CancellationToken cancellationToken = default)
    {
        var members = await redis.GetDatabase().SortedSetRangeByScoreAsync(keys.CandlesOf(series),
            MillisecondTime.Floor(fromExclusive), MillisecondTime.Ceiling(toExclusive), Exclude.Both, Order.Ascending, 0, limit);
        return members.Select(m => Decode(series, m!)).ToList();
    }

    public async Task<IReadOnlyList<Candle>> ReadLatestAsync(SeriesKey series, DateTime beforeExclusive, int count, CancellationToken cancellationToken = default)
    {
        var members = await redis.GetDatabase().SortedSetRangeByScoreAsync(keys.CandlesOf(series),
            double.NegativeInfinity, MillisecondTime.Ceiling(beforeExclusive), Exclude.Stop, Order.Descending, 0, count);
        return members.Reverse().Select(m => Decode(series, m!)).ToList();
    }

    /// <summary><c>ticks|open|high|low|close|volume</c>: the time first keeps members of one time recognisable.</summary>
    internal static string Encode(Candle candle) => string.Create(CultureInfo.InvariantCulture,
        $"{candle.Time.Ticks}|{candle.Open:R}|{candle.High:R}|{candle.Low:R}|{candle.Close:R}|{candle.Volume}");

    internal static Candle Decode(SeriesKey series, string member)
    {
        var fields = member.Split('|');
        if (fields.Length != 6
            || !long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || !TryPrice(fields[1], out var open) || !TryPrice(fields[2], out var high)
            || !TryPrice(fields[3], out var low) || !TryPrice(fields[4], out var close)
            || !long.TryParse(fields[5], NumberStyles.None, CultureInfo.InvariantCulture, out var volume))
        {
            throw new FormatException($"Stored candle of {series} is malformed: '{member}'.");
        }

        return new Candle(series.Instrument, series.Timeframe, new DateTime(ticks, DateTimeKind.Utc), open, high, low, close, volume);
    }

    private static bool TryPrice(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
}
