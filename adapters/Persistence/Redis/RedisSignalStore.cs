using System.Text.Json;
using SignalFlow.Domain;
using SignalFlow.Outcomes;
using SignalFlow.Signals;
using StackExchange.Redis;

namespace SignalFlow.Persistence.Redis;

/// <summary>
/// Signals in Redis: a hash of id → JSON (HSETNX keeps the first copy of an id) and two time-ordered indexes, one
/// for all signals and one per series. The indexes are written on every store, so a store interrupted after the hash
/// write is completed by its retry. Outcomes are a second hash of id → outcome JSON, written with HSETNX (recorded once).
/// </summary>
public sealed class RedisSignalStore(IConnectionMultiplexer redis, RedisKeys keys) : ISignalStore
{
    private const int PageSize = 200;
    private const string StatusField = "status";
    private const string ChannelFieldPrefix = "channel:";

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
        var from = query.From is { } f ? MillisecondTime.Ceiling(f) : double.NegativeInfinity;
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

    public async Task<NotificationRecordResult> RecordNotificationAsync(SignalNotificationUpdate update, CancellationToken cancellationToken = default)
    {
        var database = redis.GetDatabase();
        if (!await database.HashExistsAsync(keys.Signals, update.SignalId))
        {
            return NotificationRecordResult.UnknownSignal;
        }

        var fields = new List<HashEntry> { new(StatusField, SignalNotificationNames.Name(update.Overall)) };
        if (update.Channel is { } channel)
        {
            var entry = new ChannelNotification(update.ChannelStatus, update.At, update.Reason);
            fields.Add(new HashEntry(ChannelFieldPrefix + channel, JsonSerializer.Serialize(entry, PersistenceJson.Options)));
        }

        await database.HashSetAsync(keys.NotificationsOf(update.SignalId), fields.ToArray());
        return NotificationRecordResult.Recorded;
    }

    public async Task<SignalNotifications?> GetNotificationsAsync(string signalId, CancellationToken cancellationToken = default)
    {
        var database = redis.GetDatabase();
        if (!await database.HashExistsAsync(keys.Signals, signalId))
        {
            return null;
        }

        var overall = NotificationStatus.Pending;
        var channels = new Dictionary<string, ChannelNotification>(StringComparer.Ordinal);
        foreach (var field in await database.HashGetAllAsync(keys.NotificationsOf(signalId)))
        {
            var name = field.Name.ToString();
            if (name == StatusField && SignalNotificationNames.TryParse(field.Value.ToString(), out NotificationStatus status))
            {
                overall = status;
            }
            else if (name.StartsWith(ChannelFieldPrefix, StringComparison.Ordinal)
                && JsonSerializer.Deserialize<ChannelNotification>(field.Value.ToString(), PersistenceJson.Options) is { } entry)
            {
                channels[name[ChannelFieldPrefix.Length..]] = entry;
            }
        }

        return new SignalNotifications(overall, channels);
    }

    public async Task<OutcomeRecordResult> RecordOutcomeAsync(SignalOutcome outcome, CancellationToken cancellationToken = default)
    {
        SignalOutcomes.EnsureClosed(outcome);
        var database = redis.GetDatabase();
        if (!await database.HashExistsAsync(keys.Signals, outcome.SignalId))
        {
            return OutcomeRecordResult.UnknownSignal;
        }

        var json = JsonSerializer.Serialize(outcome, PersistenceJson.Options);
        return await database.HashSetAsync(keys.SignalOutcomes, outcome.SignalId, json, When.NotExists)
            ? OutcomeRecordResult.Recorded
            : OutcomeRecordResult.AlreadyRecorded;
    }

    public async Task<IReadOnlyDictionary<string, SignalOutcome>> GetOutcomesAsync(IReadOnlyCollection<string> signalIds, CancellationToken cancellationToken = default)
    {
        var found = new Dictionary<string, SignalOutcome>(StringComparer.Ordinal);
        foreach (var chunk in signalIds.Distinct(StringComparer.Ordinal).Chunk(PageSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var values = await redis.GetDatabase().HashGetAsync(keys.SignalOutcomes, chunk.Select(id => (RedisValue)id).ToArray());
            for (var i = 0; i < chunk.Length; i++)
            {
                if (values[i].HasValue && JsonSerializer.Deserialize<SignalOutcome>(values[i].ToString(), PersistenceJson.Options) is { } outcome)
                {
                    found[chunk[i]] = outcome;
                }
            }
        }

        return found;
    }
}
