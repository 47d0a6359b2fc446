using SignalFlow.Oanda;
using SignalFlow.Strategies;

namespace SignalFlow.Silo.Feeds;

/// <summary>
/// Fails the host at start on an OANDA feed with no instruments or timeframes to work on, rather than inside a grain
/// later. The feed grain itself is woken by a <see cref="Hosting.SingletonGrainStarter"/>.
/// </summary>
public sealed class OandaFeedPlanCheck(IOptions<OandaFeedOptions> options, StrategyCatalog catalog) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = OandaFeedPlan.Create(options.Value, catalog);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
