using Orleans.Runtime;
using Orleans.Storage;
using SignalFlow.Candles;
using SignalFlow.Domain;
using SignalFlow.Outcomes;
using SignalFlow.Signals;

namespace SignalFlow.Benchmarks;

/// <summary>
/// Store round trips seen by the silo: what a steady-state candle costs. Each write counted here is one write command
/// in the MongoDB adapters (a grain-state replace, a candle batch's bulk upsert, a signal insert or update), so the
/// figure stands in for MongoDB's count where no server is at hand.
/// </summary>
internal sealed class StoreRoundTrips
{
    private long _reads;
    private long _writes;

    /// <summary>Candle-store reads and grain-state reads.</summary>
    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>Candle-store writes, grain-state writes and signal-store writes.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    public void Read() => Interlocked.Increment(ref _reads);

    public void Write() => Interlocked.Increment(ref _writes);
}

/// <summary>Counts every read and write of the candle store it wraps.</summary>
internal sealed class CountingCandleStore(ICandleStore inner, StoreRoundTrips counter) : ICandleStore
{
    public Task StoreAsync(IReadOnlyList<Candle> candles, CancellationToken cancellationToken = default)
    {
        counter.Write();
        return inner.StoreAsync(candles, cancellationToken);
    }

    public Task<IReadOnlyList<Candle>> ReadRangeAsync(SeriesKey series, DateTime fromExclusive, DateTime toExclusive, int limit, CancellationToken cancellationToken = default)
    {
        counter.Read();
        return inner.ReadRangeAsync(series, fromExclusive, toExclusive, limit, cancellationToken);
    }

    public Task<IReadOnlyList<Candle>> ReadLatestAsync(SeriesKey series, DateTime beforeExclusive, int count, CancellationToken cancellationToken = default)
    {
        counter.Read();
        return inner.ReadLatestAsync(series, beforeExclusive, count, cancellationToken);
    }
}

/// <summary>Counts every grain-state read (one per activation of a grain with persistent state) and write of the storage it wraps.</summary>
internal sealed class CountingGrainStorage(IGrainStorage inner, StoreRoundTrips counter) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        counter.Read();
        return inner.ReadStateAsync(stateName, grainId, grainState);
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        counter.Write();
        return inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}

/// <summary>Counts the writes of the signal store it wraps (signals, notification statuses, outcomes); reads are the API's, not the pipeline's.</summary>
internal sealed class CountingSignalStore(ISignalStore inner, StoreRoundTrips counter) : ISignalStore
{
    public Task<SignalStoreResult> StoreAsync(Signal signal, CancellationToken cancellationToken = default)
    {
        counter.Write();
        return inner.StoreAsync(signal, cancellationToken);
    }

    public Task<IReadOnlyList<Signal>> QueryAsync(SignalQuery query, CancellationToken cancellationToken = default) =>
        inner.QueryAsync(query, cancellationToken);

    public Task<NotificationRecordResult> RecordNotificationAsync(SignalNotificationUpdate update, CancellationToken cancellationToken = default)
    {
        counter.Write();
        return inner.RecordNotificationAsync(update, cancellationToken);
    }

    public Task<SignalNotifications?> GetNotificationsAsync(string signalId, CancellationToken cancellationToken = default) =>
        inner.GetNotificationsAsync(signalId, cancellationToken);

    public Task<OutcomeRecordResult> RecordOutcomeAsync(SignalOutcome outcome, CancellationToken cancellationToken = default)
    {
        counter.Write();
        return inner.RecordOutcomeAsync(outcome, cancellationToken);
    }

    public Task<IReadOnlyDictionary<string, SignalOutcome>> GetOutcomesAsync(IReadOnlyCollection<string> signalIds, CancellationToken cancellationToken = default) =>
        inner.GetOutcomesAsync(signalIds, cancellationToken);
}
