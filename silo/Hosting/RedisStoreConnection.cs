using StackExchange.Redis;

namespace SignalFlow.Silo.Hosting;

/// <summary>
/// The signal and candle stores' Redis connection, opened asynchronously while the silo starts, so that no grain
/// activation blocks a scheduler thread on connecting and a silo without its Redis fails at startup, not later.
/// </summary>
public sealed class RedisStoreConnection(ConfigurationOptions options) : ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    private ConnectionMultiplexer? _multiplexer;

    public IConnectionMultiplexer Multiplexer =>
        _multiplexer ?? throw new InvalidOperationException("The Redis store connection is used before the silo started.");

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(RedisStoreConnection), ServiceLifecycleStage.RuntimeInitialize, async _ =>
        {
            // Once connected, keep reconnecting in the background while Redis restarts instead of failing calls for good.
            var connection = options.Clone();
            connection.AbortOnConnectFail = false;
            _multiplexer = await ConnectionMultiplexer.ConnectAsync(connection);
        });

    public async ValueTask DisposeAsync()
    {
        if (_multiplexer is not null)
        {
            await _multiplexer.DisposeAsync();
        }
    }
}
