using SignalFlow.Domain;

namespace SignalFlow.Strategies;

/// <summary>
/// Told by the strategy registry after the runtime strategy set changed and the strategy grains took it, for what
/// depends on the set beyond those grains (a feed that streams the strategies' series). Registered by the concern
/// that needs it; a failure is logged by the registry and does not undo the change.
/// </summary>
public interface IStrategySetObserver
{
    /// <summary>What is told (for the operator's log).</summary>
    string Name { get; }

    Task OnStrategySetChangedAsync(IReadOnlyList<StrategySettings> strategies);
}
