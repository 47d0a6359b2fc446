using Orleans.Runtime;
using Orleans.Storage;
using SignalFlow.Candles;
using SignalFlow.Domain;

namespace SignalFlow.Benchmarks;

/// <summary>Store reads seen by the silo: what a steady-state candle costs in round trips to storage.</summary>
internal sealed class StoreReadCounter
{
    private long _candleReads;
    private long _stateReads;

    public long CandleReads => Interlocked.Read(ref _candleReads);

    public long StateReads => Interlocked.Read(ref _stateReads);

    public long Total => CandleReads + StateReads;

    public void CandleRead() => Interlocked.Increment(ref _candleReads);

    public void StateRead() => Interlocked.Increment(ref _stateReads);
}

/// <summary>Counts every read of the candle store it wraps.</summary>
internal sealed class CountingCandleStore(ICandleStore inner, StoreReadCounter counter) : ICandleStore
{
    public Task StoreAsync(IReadOnlyList<Candle> candles, CancellationToken cancellationToken = default) =>
        inner.StoreAsync(candles, cancellationToken);

    public Task<IReadOnlyList<Candle>> ReadRangeAsync(SeriesKey series, DateTime fromExclusive, DateTime toExclusive, int limit, CancellationToken cancellationToken = default)
    {
        counter.CandleRead();
        return inner.ReadRangeAsync(series, fromExclusive, toExclusive, limit, cancellationToken);
    }

    public Task<IReadOnlyList<Candle>> ReadLatestAsync(SeriesKey series, DateTime beforeExclusive, int count, CancellationToken cancellationToken = default)
    {
        counter.CandleRead();
        return inner.ReadLatestAsync(series, beforeExclusive, count, cancellationToken);
    }
}

/// <summary>Counts every grain-state read (one per activation of a grain with persistent state) of the storage it wraps.</summary>
internal sealed class CountingGrainStorage(IGrainStorage inner, StoreReadCounter counter) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        counter.StateRead();
        return inner.ReadStateAsync(stateName, grainId, grainState);
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.WriteStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
