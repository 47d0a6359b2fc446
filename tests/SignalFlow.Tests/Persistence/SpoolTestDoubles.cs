using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using SignalFlow.Candles;
using SignalFlow.Domain;
using SignalFlow.Outcomes;
using SignalFlow.Persistence;
using SignalFlow.Signals;

namespace SignalFlow.Tests.Persistence;

/// <summary>A signal store that fails like an unreachable MongoDB while <see cref="Down"/> is set.</summary>
internal sealed class FlakySignalStore : ISignalStore
{
    private readonly InMemorySignalStore _stored = new();
    private readonly Lock _gate = new();

    public bool Down { get; set; }

    /// <summary>Ids the store refuses permanently (like a conflicting unique index).</summary>
    public HashSet<string> Poisoned { get; } = new(StringComparer.Ordinal);

    /// <summary>Signal inserts (<c>id</c>) and status updates (<c>id:channel:status</c>) as the store applied them.</summary>
    public List<string> InsertOrder { get; } = [];

    public int Attempts { get; private set; }

    public async Task<SignalStoreResult> StoreAsync(Signal signal, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Attempts++;
        }

        if (Down)
        {
            throw new TimeoutException("A timeout occurred after 30000ms selecting a server.");
        }

        if (Poisoned.Contains(signal.Id))
        {
            throw new InvalidOperationException("E11000 on a foreign unique index");
        }

        var result = await _stored.StoreAsync(signal, cancellationToken);
        if (result == SignalStoreResult.Stored)
        {
            lock (_gate)
            {
                InsertOrder.Add(signal.Id);
            }
        }

        return result;
    }

    public Task<IReadOnlyList<Signal>> QueryAsync(SignalQuery query, CancellationToken cancellationToken = default) =>
        Down ? throw new TimeoutException("down") : _stored.QueryAsync(query, cancellationToken);

    public Task<NotificationRecordResult> RecordNotificationAsync(SignalNotificationUpdate update, CancellationToken cancellationToken = default) =>
        ApplyAsync(() => _stored.RecordNotificationAsync(update, cancellationToken),
            result => $"{update.SignalId}:{update.Channel}:{SignalNotificationNames.Name(update.ChannelStatus)}:{result}");

    public Task<SignalNotifications?> GetNotificationsAsync(string signalId, CancellationToken cancellationToken = default) =>
        Down ? throw new TimeoutException("down") : _stored.GetNotificationsAsync(signalId, cancellationToken);

    public Task<OutcomeRecordResult> RecordOutcomeAsync(SignalOutcome outcome, CancellationToken cancellationToken = default) =>
        ApplyAsync(() => _stored.RecordOutcomeAsync(outcome, cancellationToken), result => $"{outcome.SignalId}:outcome:{result}");

    public Task<IReadOnlyDictionary<string, SignalOutcome>> GetOutcomesAsync(IReadOnlyCollection<string> signalIds, CancellationToken cancellationToken = default) =>
        Down ? throw new TimeoutException("down") : _stored.GetOutcomesAsync(signalIds, cancellationToken);

    /// <summary>An update of a stored signal: fails while down, else applied and listed in <see cref="InsertOrder"/> as <paramref name="describe"/> says.</summary>
    private async Task<T> ApplyAsync<T>(Func<Task<T>> write, Func<T, string> describe)
    {
        if (Down)
        {
            throw new TimeoutException("A timeout occurred after 30000ms selecting a server.");
        }

        var result = await write();
        lock (_gate)
        {
            InsertOrder.Add(describe(result));
        }

        return result;
    }
}

internal sealed class FlakyCandleStore : ICandleStore
{
    private readonly InMemoryCandleStore _stored = new();

    public bool Down { get; set; }

    public Task StoreAsync(IReadOnlyList<Candle> candles, CancellationToken cancellationToken = default) =>
        Down ? throw new TimeoutException("down") : _stored.StoreAsync(candles, cancellationToken);

    public Task<IReadOnlyList<Candle>> ReadRangeAsync(SeriesKey series, DateTime fromExclusive, DateTime toExclusive, int limit, CancellationToken cancellationToken = default) =>
        _stored.ReadRangeAsync(series, fromExclusive, toExclusive, limit, cancellationToken);

    public Task<IReadOnlyList<Candle>> ReadLatestAsync(SeriesKey series, DateTime beforeExclusive, int count, CancellationToken cancellationToken = default) =>
        _stored.ReadLatestAsync(series, beforeExclusive, count, cancellationToken);
}

internal sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public IReadOnlyList<Meter> Meters => _meters;

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options);
        _meters.Add(meter);
        return meter;
    }

    public void Dispose() => _meters.ForEach(m => m.Dispose());

    public static PersistenceMetrics Metrics() => new(new TestMeterFactory());
}

internal static class Spools
{
    public static readonly TimeSpan InitialDelay = TimeSpan.FromSeconds(1);

    public static SpoolOptions Options(string directory) => new()
    {
        Directory = directory,
        ReplayInitialDelay = InitialDelay,
        ReplayMaxDelay = TimeSpan.FromSeconds(8),
    };

    public static SpoolingSignalStore SignalStore(ISignalStore inner, string directory, TimeProvider time, PersistenceMetrics? metrics = null) =>
        new(inner, e => e is TimeoutException, Options(directory), time, metrics ?? TestMeterFactory.Metrics(), NullLogger<SpoolingSignalStore>.Instance);
}
