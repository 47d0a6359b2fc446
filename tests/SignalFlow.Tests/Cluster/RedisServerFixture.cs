using StackExchange.Redis;

namespace SignalFlow.Tests.Cluster;

/// <summary>One redis-server for a test class; tests keep apart by key prefix. Null server when none is installed.</summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    private RedisServer? _server;

    public IConnectionMultiplexer? Connection { get; private set; }

    public async Task InitializeAsync()
    {
        if (RedisServer.Executable is null)
        {
            return;
        }

        _server = await RedisServer.StartAsync();
        Connection = await ConnectionMultiplexer.ConnectAsync(_server.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (Connection is not null)
        {
            await Connection.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
