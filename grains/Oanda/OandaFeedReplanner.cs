using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Strategies;

namespace SignalFlow.Oanda;

/// <summary>Lets the OANDA feed stream a series as soon as a strategy for it is added, rather than at its next reminder.</summary>
public sealed class OandaFeedReplanner(IGrainFactory grains) : IStrategySetObserver
{
    public string Name => "OANDA feed";

    public Task OnStrategySetChangedAsync(IReadOnlyList<StrategySettings> strategies) =>
        grains.GetGrain<IOandaFeedGrain>(IOandaFeedGrain.SingletonKey).EnsureRunningAsync();
}
