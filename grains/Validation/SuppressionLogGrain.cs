using Microsoft.Extensions.Options;
using SignalFlow.Grains;

namespace SignalFlow.Validation;

/// <inheritdoc cref="ISuppressionLogGrain"/>
public sealed class SuppressionLogGrain(
    [PersistentState(StorageNames.SuppressionState, StorageNames.GrainState)] IPersistentState<SuppressionLogState> state,
    IOptions<ValidationOptions> options) : Grain, ISuppressionLogGrain
{
    private SuppressionLog _log = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _log = new SuppressionLog(state.State, options.Value.SuppressionsKept);
        return Task.CompletedTask;
    }

    public async Task<bool> RecordAsync(SuppressedSignal suppressed)
    {
        if (!_log.Record(suppressed))
        {
            return false;
        }

        await state.WriteStateAsync();
        return true;
    }

    public Task<IReadOnlyList<SuppressedSignal>> SearchAsync(SuppressionSearch search) => Task.FromResult(_log.Search(search));

    public Task<IReadOnlyDictionary<string, long>> GetTotalsAsync() => Task.FromResult(_log.Totals);
}
