using SignalFlow.Grains;
using SignalFlow.Oanda;
using SignalFlow.Strategies;

namespace SignalFlow.Silo.Feeds;

/// <summary>
/// Wakes the cluster's OANDA feed grain when this silo starts; from then on its reminder keeps it running, on
/// whichever silo holds it. Checks at start that the feed has instruments and timeframes to work on.
/// </summary>
public sealed partial class OandaFeedStarter(
    IGrainFactory grains,
    IOptions<OandaFeedOptions> options,
    StrategyCatalog catalog,
    TimeProvider time,
    ILogger<OandaFeedStarter> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Fails the host at start on a feed with nothing to stream, rather than inside a grain later.
        _ = OandaFeedPlan.Create(options.Value, catalog);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                await grains.GetGrain<IOandaFeedGrain>(IOandaFeedGrain.SingletonKey).EnsureRunningAsync();
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogStartFailed(ex, RetryDelay);
                await Task.Delay(RetryDelay, time, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Starting the OANDA feed grain failed; retrying in {Delay}")]
    private partial void LogStartFailed(Exception exception, TimeSpan delay);
}
