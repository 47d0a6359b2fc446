using SignalFlow.Domain;
using SignalFlow.Signals;
using StackExchange.Redis;

namespace SignalFlow.Persistence.Redis;

/// <summary>
/// Signals in Redis: a hash of id → JSON (HSETNX keeps the first copy of an id) and two time-ordered indexes, one
/// for all signals and one per series. The indexes are written on every store, so a store interrupted after the hash
/// write is completed by its retry.
/// </summary>
public sealed class RedisSignalStore(IConnectionMultiplexer redis, RedisKeys keys) : ISignalStore
{
    private const int PageSize = 200;

    public async Task<SignalStoreResult> StoreAsync(Signal signal, CancellationToken cancellationToken = default)
    {
        var database = redis.GetDatabase();
        var stored = await database.HashSetAsync(keys.Signals, signal.Id, SignalJson.ToJsonLine(signal), When.NotExists);
        var score = RedisKeys.Score(signal.Time);
        await Task.WhenAll(
            database.SortedSetAddAsync(keys.SignalsByTime, signal.Id, score),
            database.SortedSetAddAsync(keys.SignalsOf(signal.Series), signal.Id, score));
        return stored ? SignalStoreResult.Stored : SignalStoreResult.AlreadyStored;
    }

    public async Task<IReadOnlyList<Signal>> QueryAsync(SignalQuery query, CancellationToken cancellationToken = default)
    {
        var database = redis.GetDatabase();
        var index = query is { Instrument: { } instrument, Timeframe: { } timeframe }
            ? keys.SignalsOf(new SeriesKey(instrument, timeframe))
            : keys.SignalsByTime;
        var from = query.From is { } f ? RedisKeys.Score(f) : double.NegativeInfinity;
        var to = query.To is { } t ? RedisKeys.Score(t) : double.PositiveInfinity;
        var found = new List<Signal>();
        for (long skip = 0; found.Count < query.Limit; skip += PageSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var ids = await database.SortedSetRangeByScoreAsync(index, from, to, Exclude.None, Order.Descending, skip, PageSize);
            if (ids.Length == 0)
            {
                break;
            }

            var documents = await database.HashGetAsync(keys.Signals, ids);
            found.AddRange(documents
                .Where(d => d.HasValue)
                .Select(d => SignalJson.Parse(d.ToString()))
                .Where(query.Matches));
        }

        return found
            .OrderByDescending(s => s.Time)
            .ThenBy(s => s.StrategyId, StringComparer.Ordinal)
            .Take(query.Limit)
            .ToList();
    }
}
