using Microsoft.Extensions.Logging;
using SignalFlow.Domain;
using SignalFlow.Grains;

namespace SignalFlow.Strategies;

/// <inheritdoc cref="IStrategyRegistryGrain"/>
public sealed partial class StrategyRegistryGrain(
    [PersistentState(StorageNames.StrategyRegistryState, StorageNames.GrainState)] IPersistentState<StrategyRegistryState> state,
    StrategyCatalog file,
    IEnumerable<IStrategySetObserver> observers,
    TimeProvider time,
    ILogger<StrategyRegistryGrain> logger) : Grain, IStrategyRegistryGrain
{
    /// <summary>The stored set; replaced only once a change is stored, so interleaved reads never see an unstored one.</summary>
    private StrategyCatalog _current = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var fileFingerprint = StrategyRegistry.Fingerprint(file.All);
        if (state.State.Strategies is null)
        {
            state.State.Strategies = [.. file.All];
            state.State.SeedFingerprint = fileFingerprint;
            state.State.SeededAt = time.GetUtcNow().UtcDateTime;
            await state.WriteStateAsync(cancellationToken);
            LogSeeded(file.All.Count);
        }

        _current = new StrategyCatalog(state.State.Strategies, file.Kinds);
        if (StrategyRegistry.Differences(file, _current) is { } differences)
        {
            if (fileFingerprint != state.State.SeedFingerprint)
            {
                LogFileChanged(state.State.SeededAt, _current.All.Count, differences);
            }
            else
            {
                LogRuntimeChanged(state.State.ChangedAt, _current.All.Count, differences);
            }
        }
    }

    public Task<IReadOnlyList<StrategySettings>> GetAllAsync() => Task.FromResult(_current.All);

    public Task<IReadOnlyList<StrategySettings>> GetSeriesAsync(SeriesKey series) => Task.FromResult(_current.For(series));

    public Task<StrategyChange> CreateAsync(StrategySettings settings) => ApplyAsync("created", settings.Id, StrategyRegistry.Create(_current, settings));

    public Task<StrategyChange> ReplaceAsync(StrategySettings settings) => ApplyAsync("replaced", settings.Id, StrategyRegistry.Replace(_current, settings));

    public Task<StrategyChange> DeleteAsync(string id) => ApplyAsync("deleted", id, StrategyRegistry.Delete(_current, id));

    private async Task<StrategyChange> ApplyAsync(string verb, string id, StrategyEdit edit)
    {
        if (edit.Next is not { } next)
        {
            return StrategyChange.Refused(edit.Result, edit.Previous);
        }

        var (previousSet, previousChangedAt) = (state.State.Strategies, state.State.ChangedAt);
        state.State.Strategies = [.. next.All];
        state.State.ChangedAt = time.GetUtcNow().UtcDateTime;
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            (state.State.Strategies, state.State.ChangedAt) = (previousSet, previousChangedAt);
            LogStoreFailed(e, id);
            throw SignalFlowUnavailableException.From("grain storage (strategy registry)", e);
        }

        _current = next;
        LogChanged(id, verb, string.Join(", ", edit.ChangedSeries));
        var applied = await Task.WhenAll(edit.ChangedSeries.Select(async series =>
        {
            try
            {
                var status = await GrainFactory.GetGrain<IStrategyGrain>(series.ToString()).ReconfigureAsync(next.For(series));
                return (Status: status, Failure: (StrategySeriesFailure?)null);
            }
            catch (Exception e)
            {
                LogReconfigureFailed(e, series.ToString());
                return (Status: (StrategySeriesStatus?)null, Failure: new StrategySeriesFailure(series.ToString(), $"{e.GetType().Name}: {e.Message}"));
            }
        }));
        foreach (var observer in observers)
        {
            try
            {
                await observer.OnStrategySetChangedAsync(next.All);
            }
            catch (Exception e)
            {
                LogObserverFailed(e, observer.Name);
            }
        }

        return new StrategyChange(StrategyChangeResult.Applied, edit.Previous,
            applied.Select(a => a.Status).OfType<StrategySeriesStatus>().ToList(),
            applied.Select(a => a.Failure).OfType<StrategySeriesFailure>().ToList());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Runtime strategy set seeded from the strategies file: {Count} strategies")]
    private partial void LogSeeded(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The strategies file changed since it seeded the runtime strategy set on {SeededAt:O}; the runtime set ({Count} strategies) stays in force, the file's changes are not applied (apply them through the API or 'signalflow strategies'): {Differences}")]
    private partial void LogFileChanged(DateTime? seededAt, int count, string differences);

    [LoggerMessage(Level = LogLevel.Information, Message = "Runtime strategy set ({Count} strategies, last changed through the API on {ChangedAt:O}) differs from the strategies file: {Differences}")]
    private partial void LogRuntimeChanged(DateTime? changedAt, int count, string differences);

    [LoggerMessage(Level = LogLevel.Information, Message = "Strategy {StrategyId} {Verb}; rebuilding the strategies of {Series}")]
    private partial void LogChanged(string strategyId, string verb, string series);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storing the change of strategy {StrategyId} failed; nothing changed")]
    private partial void LogStoreFailed(Exception exception, string strategyId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Observer} did not take the strategy change now; it does at its next start or reminder")]
    private partial void LogObserverFailed(Exception exception, string observer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Strategy grain {Series} did not take the change now; it runs the stored set from its next activation")]
    private partial void LogReconfigureFailed(Exception exception, string series);
}
