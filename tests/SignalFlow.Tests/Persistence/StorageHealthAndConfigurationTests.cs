using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SignalFlow.Persistence;
using SignalFlow.Persistence.Mongo;
using SignalFlow.Silo.Hosting;

namespace SignalFlow.Tests.Persistence;

public sealed class StorageHealthAndConfigurationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("signalflow-health-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Healthy_when_the_store_answers_and_nothing_is_spooled()
    {
        var check = new StorageHealthCheck([new SpoolStatus("signals", 0, 0)], _ => Task.CompletedTask, TimeSpan.FromSeconds(1));

        var result = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal(true, result.Data["store_reachable"]);
    }

    [Fact]
    public async Task Degraded_while_writes_are_spooled_or_rejected()
    {
        var check = new StorageHealthCheck([new SpoolStatus("signals", 3, 0), new SpoolStatus("candles", 0, 1)], _ => Task.CompletedTask, TimeSpan.FromSeconds(1));

        var result = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("3 signals writes spooled", result.Description);
        Assert.Contains("1 candles writes rejected", result.Description);
        Assert.Equal(3, result.Data["signals_spooled"]);
    }

    [Fact]
    public async Task Degraded_while_the_store_does_not_answer_without_echoing_its_error()
    {
        var check = new StorageHealthCheck([], _ => throw new TimeoutException("mongodb://admin:hunter2@db:27017 unreachable"), TimeSpan.FromSeconds(1));

        var result = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Equal(false, result.Data["store_reachable"]);
        Assert.DoesNotContain("hunter2", result.Description);
        Assert.Null(result.Exception);
    }

    [Theory]
    [InlineData("mongodb://admin:hunter2@db1:27017,db2:27017/signals?replicaSet=rs0", "mongodb://***@db1:27017,db2:27017/signals?replicaSet=rs0")]
    [InlineData("mongodb+srv://user:p%40ss@cluster0.example.net/?retryWrites=true", "mongodb+srv://***@cluster0.example.net/?retryWrites=true")]
    [InlineData("mongodb://db:27017/?authMechanism=PLAIN&password=hunter2", "mongodb://db:27017/?authMechanism=PLAIN&password=***")]
    [InlineData("mongodb://localhost:27017", "mongodb://localhost:27017")]
    public void Connection_strings_are_redacted(string connectionString, string redacted)
    {
        Assert.Equal(redacted, MongoConnection.Redact(connectionString));
    }

    [Fact]
    public void A_malformed_connection_string_fails_without_revealing_the_password()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            MongoConnection.CreateClient("mongodb://admin:hunter2@db:notaport/?replicaSet=", TimeSpan.FromSeconds(1)));

        Assert.DoesNotContain("hunter2", error.ToString());
        Assert.Contains("***", error.Message);
    }

    [Fact]
    public void MongoDB_provider_requires_a_connection_string()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["SignalFlow:Storage:Provider"] = "MongoDB" })
            .Build();
        var builder = Host.CreateApplicationBuilder();

        var error = Assert.Throws<InvalidOperationException>(() => builder.UseOrleans(silo => silo.AddSignalFlowStorage(configuration)));

        Assert.Contains("SignalFlow:Storage:ConnectionString", error.Message);
    }

    [Fact]
    public async Task MongoDB_provider_puts_spooling_stores_in_front_of_mongodb()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["SignalFlow:Storage:Provider"] = "MongoDB",
                ["SignalFlow:Storage:ConnectionString"] = "mongodb://admin:hunter2@127.0.0.1:1/",
                ["SignalFlow:Storage:SpoolDirectory"] = _directory,
                ["SignalFlow:Storage:ServerSelectionTimeout"] = "00:00:00.2",
            })
            .Build();
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo => silo.UseLocalhostClustering().AddSignalFlowStorage(configuration));
        await using var host = (IAsyncDisposable)builder.Build();
        var services = ((IHost)host).Services;

        Assert.IsType<SpoolingSignalStore>(services.GetRequiredService<SignalFlow.Signals.ISignalStore>());
        Assert.IsType<SpoolingCandleStore>(services.GetRequiredService<SignalFlow.Candles.ICandleStore>());

        Assert.IsType<MongoGrainStorage>(services.GetRequiredKeyedService<Orleans.Storage.IGrainStorage>(StorageNames.GrainState));
        Assert.True(File.Exists(Path.Combine(_directory, "signals.spool")));
        Assert.True(File.Exists(Path.Combine(_directory, "candles.spool")));
        var health = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Degraded, health.Entries["storage"].Status);
        Assert.DoesNotContain("hunter2", health.Entries["storage"].Description);
    }

    [Fact]
    public async Task An_unreachable_mongodb_is_a_transient_failure_and_the_signal_is_spooled()
    {
        // A loopback port nobody listens on: the real driver fails server selection after its (short) timeout.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var client = MongoConnection.CreateClient($"mongodb://127.0.0.1:{port}/?connectTimeoutMS=100", TimeSpan.FromMilliseconds(150));
        var mongo = new MongoSignalStore(client, new MongoSignalStoreOptions(), TestMeterFactory.Metrics(), NullLogger<MongoSignalStore>.Instance);
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => mongo.StoreAsync(PersistenceSamples.Signal()));
        Assert.True(MongoFailures.IsTransient(failure), failure.GetType().FullName);

        await using var store = new SpoolingSignalStore(mongo, MongoFailures.IsTransient, Spools.Options(_directory), new FakeTimeProvider(),
            TestMeterFactory.Metrics(), NullLogger<SpoolingSignalStore>.Instance);
        Assert.Equal(SignalFlow.Signals.SignalStoreResult.Stored, await store.StoreAsync(PersistenceSamples.Signal()));
        Assert.Equal(1, store.Spool.PendingCount);
    }

    private sealed record SpoolStatus(string Name, int PendingCount, int DeadLetteredCount) : ISpoolStatus
    {
        public long DiscardedRecords => 0;
    }
}
