using SignalFlow.Domain;

namespace SignalFlow.Grains;

/// <summary>
/// The cluster-wide record of suppressed signals: the most recent ones (how many: <c>SignalFlow:Validation:SuppressionsKept</c>)
/// with the rule and reason, persisted in grain storage, plus a running count per rule.
/// </summary>
public interface ISuppressionLogGrain : IGrainWithIntegerKey
{
    const long SingletonKey = 0;

    /// <summary>Records the suppression; a signal id already recorded keeps its first record (a re-evaluated candle). False then.</summary>
    Task<bool> RecordAsync(SuppressedSignal suppressed);

    /// <summary>Matching suppressions, newest first.</summary>
    Task<IReadOnlyList<SuppressedSignal>> SearchAsync(SuppressionSearch search);

    /// <summary>How many suppressions each rule has recorded since the record began (kept or not).</summary>
    Task<IReadOnlyDictionary<string, long>> GetTotalsAsync();
}

/// <summary>A signal a validation rule held back: it was not stored with the signals nor notified.</summary>
[GenerateSerializer, Immutable]
public sealed record SuppressedSignal(
    [property: Id(0)] Signal Signal,
    [property: Id(1)] string Rule,
    [property: Id(2)] string Reason,
    [property: Id(3)] DateTime SuppressedAt);

[GenerateSerializer, Immutable]
public sealed record SuppressionSearch(
    [property: Id(0)] string? StrategyId = null,
    [property: Id(1)] Instrument? Instrument = null,
    [property: Id(2)] string? Rule = null,
    [property: Id(3)] int Limit = 100)
{
    public bool Matches(SuppressedSignal suppressed) =>
        (StrategyId is null || suppressed.Signal.StrategyId == StrategyId)
        && (Instrument is not { } instrument || suppressed.Signal.Instrument == instrument)
        && (Rule is null || suppressed.Rule == Rule);
}
