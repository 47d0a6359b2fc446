using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using SignalFlow.Domain;
using SignalFlow.Grains;

namespace SignalFlow.Signals;

/// <inheritdoc cref="ISignalQueryGrain"/>
[StatelessWorker]
public sealed class SignalQueryGrain(ISignalStore store, ILogger<SignalQueryGrain> logger) : Grain, ISignalQueryGrain
{
    public async Task<IReadOnlyList<Signal>> SearchAsync(SignalSearch search)
    {
        if (search.Limit is < 1 or > ISignalQueryGrain.MaxLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(search), search.Limit, $"Limit must be between 1 and {ISignalQueryGrain.MaxLimit}.");
        }

        return await InfrastructureFailures.WrapAsync("The signal store", logger,
            () => store.QueryAsync(new SignalQuery(search.Instrument, search.Timeframe, search.StrategyId, search.From, Limit: search.Limit)));
    }

    public async Task<TrackRecordView> GetTrackRecordAsync(TrackRecordQuery query)
    {
        if (query.Last is < 1 or > TrackRecordQuery.MaxLast)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Last, $"Last must be between 1 and {TrackRecordQuery.MaxLast}.");
        }

        return await InfrastructureFailures.WrapAsync("The signal store", logger, () => new TrackRecordReader(store).ReadAsync(query));
    }
}
