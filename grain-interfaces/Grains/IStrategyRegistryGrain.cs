using Orleans.Concurrency;
using SignalFlow.Domain;

namespace SignalFlow.Grains;

/// <summary>
/// The cluster's runtime strategy set (key <see cref="SingletonKey"/>), kept in grain storage: seeded from the strategies
/// file the first time it activates, changed afterwards only through these calls (the HTTP API). A change is stored,
/// then handed to the strategy grain of each series it touches, which rebuilds its strategies without a restart.
/// </summary>
public interface IStrategyRegistryGrain : IGrainWithStringKey
{
    const string SingletonKey = "strategies";

    /// <summary>Every strategy, in the order they were configured. Interleaves: answers while a change is being applied.</summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<StrategySettings>> GetAllAsync();

    /// <summary>
    /// The strategies of one series; what its strategy grain runs. Interleaves, so a strategy grain activated by the
    /// change being applied reads the new set instead of waiting for the change to finish.
    /// </summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<StrategySettings>> GetSeriesAsync(SeriesKey series);

    /// <summary>Adds a strategy whose id is not in use (<see cref="StrategyChangeResult.AlreadyExists"/> otherwise).</summary>
    Task<StrategyChange> CreateAsync(StrategySettings settings);

    /// <summary>Replaces the strategy of the same id, possibly moving it to another series (<see cref="StrategyChangeResult.NotFound"/> when none).</summary>
    Task<StrategyChange> ReplaceAsync(StrategySettings settings);

    Task<StrategyChange> DeleteAsync(string id);
}

public enum StrategyChangeResult
{
    Applied,
    NotFound,
    AlreadyExists,
}

/// <summary>
/// What a change did: <see cref="Series"/> are the series whose strategy grains rebuilt their strategies; a series in
/// <see cref="Failed"/> did not answer (the change is stored: its grain takes it at its next activation).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record StrategyChange(
    [property: Id(0)] StrategyChangeResult Result,
    [property: Id(1)] StrategySettings? Previous,
    [property: Id(2)] IReadOnlyList<StrategySeriesStatus> Series,
    [property: Id(3)] IReadOnlyList<StrategySeriesFailure> Failed)
{
    public static StrategyChange Refused(StrategyChangeResult result, StrategySettings? existing) => new(result, existing, [], []);
}

[GenerateSerializer, Immutable]
public sealed record StrategySeriesFailure([property: Id(0)] string Series, [property: Id(1)] string Error);
