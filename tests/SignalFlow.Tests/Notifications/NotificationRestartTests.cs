using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Storage;
using Orleans.TestingHost;
using SignalFlow.Grains;
using SignalFlow.Signals;
using SignalFlow.Silo.Notifications;

namespace SignalFlow.Tests.Notifications;

/// <summary>A queued outbox after a whole-cluster restart, with storage that outlives the silos.</summary>
public sealed class NotificationRestartTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2024, 6, 3, 9, 0, 0, TimeSpan.Zero));
    private readonly SharedGrainStorage _storage = new();
    private FakeDiscordServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeDiscordServer.StartAsync(_time);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_restarted_silo_drains_the_queued_outbox_without_any_new_signal()
    {
        var signals = Enumerable.Range(0, 3).Select(i => TestSignals.Create(i)).ToList();
        _server.SetMode("main", FakeWebhookMode.Unavailable);
        await using (var before = await StartClusterAsync())
        {
            var grain = before.Client.GetGrain<INotificationGrain>(INotificationGrain.SingletonKey);
            foreach (var signal in signals)
            {
                await grain.EnqueueAsync(signal);
            }

            await grain.DeliverDueAsync();
            Assert.Equal(3, (await grain.GetChannelStatusAsync()).Single().Pending);
        }

        _server.SetMode("main", FakeWebhookMode.Normal);
        await using var after = await StartClusterAsync();

        // Nobody calls the grain: the silo wakes it at start.
        await _server.WaitForEmbedsAsync("main", 3).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(signals.Select(s => s.Id), _server.DeliveredIds("main"));

        // The sends before the restart were answered 503 (known not posted): not marked as possible repeats.
        Assert.All(_server.Embeds("main"), e => Assert.DoesNotContain("REPEAT", e.GetProperty("title").GetString()));
    }

    private async Task<InProcessTestCluster> StartClusterAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SignalFlow:Notifications:Channels:main:Type"] = "Discord",
            ["SignalFlow:Notifications:Channels:main:Url"] = _server.WebhookUrl("main"),
            ["SignalFlow:Notifications:Channels:main:Limits:PairCooldown"] = "00:00:00",
        }).Build();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.GrainState, _storage);
            silo.UseInMemoryReminderService();
            silo.Services.AddSingleton<TimeProvider>(_time);
            silo.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
            silo.Services.AddSingleton<ISignalStore, InMemorySignalStore>();
            silo.Services.AddSignalFlowNotifications(configuration);
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
