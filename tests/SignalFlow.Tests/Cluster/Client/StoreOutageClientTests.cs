using SignalFlow.Client;
using SignalFlow.Grains;
using SignalFlow.Tests.Support;
using StackExchange.Redis;

namespace SignalFlow.Tests.Cluster.Client;

/// <summary>A client asking while the signal store is down gets an exception it can read, naming the store's failure.</summary>
public sealed class StoreOutageClientTests : IAsyncLifetime
{
    private readonly PipelineCluster _cluster = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task A_store_failure_reaches_the_client_as_SignalFlowUnavailableException_and_the_next_call_after_recovery_succeeds()
    {
        var client = new SignalFlowClient(_cluster.Cluster.Client);
        _cluster.Store.QueryFailure = new RedisException("No connection is active/available to service this operation");

        var failure = await Assert.ThrowsAsync<SignalFlowUnavailableException>(() => client.SearchSignalsAsync(new SignalSearch(Limit: 5)));

        Assert.Contains("The signal store is unavailable: RedisException: No connection is active", failure.Message, StringComparison.Ordinal);
        Assert.True(SignalFlowClient.IsTransient(failure));
        _cluster.Store.QueryFailure = null;
        Assert.Empty(await client.SearchSignalsAsync(new SignalSearch(Limit: 5)));
    }
}
