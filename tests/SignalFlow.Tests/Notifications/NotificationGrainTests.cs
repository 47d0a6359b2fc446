using SignalFlow.Signals;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using SignalFlow.Grains;
using SignalFlow.Silo.Notifications;
using SignalFlow.Telemetry;

using SignalFlow.Silo.Hosting;

namespace SignalFlow.Tests.Notifications;

/// <summary>The outbox grain in a test cluster with memory storage, its timers and the fake server on one fake clock.</summary>
public sealed class NotificationGrainTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2024, 6, 3, 9, 0, 0, TimeSpan.Zero));
    private FakeDiscordServer _server = null!;
    private InProcessTestCluster _cluster = null!;
    private MetricCollector<long> _timerTurns = null!;

    private INotificationGrain Grain => _cluster.Client.GetGrain<INotificationGrain>(INotificationGrain.SingletonKey);

    public async Task InitializeAsync()
    {
        _server = await FakeDiscordServer.StartAsync(_time);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SignalFlow:Notifications:DeliveryInterval"] = "00:00:00.250",
            ["SignalFlow:Notifications:Channels:main:Type"] = "Discord",
            ["SignalFlow:Notifications:Channels:main:Url"] = _server.WebhookUrl("main"),
            ["SignalFlow:Notifications:Channels:main:Timeout"] = "00:00:05",
            ["SignalFlow:Notifications:Channels:main:Limits:SignalsPerMinute"] = "0",
            ["SignalFlow:Notifications:Channels:main:Limits:SignalsPerHour"] = "0",
            ["SignalFlow:Notifications:Channels:main:Limits:PairCooldown"] = "00:00:00",
            ["SignalFlow:Notifications:Channels:main:CircuitBreaker:FailureThreshold"] = "3",
            ["SignalFlow:Notifications:Channels:main:CircuitBreaker:BreakDuration"] = "00:00:10",
            ["SignalFlow:Notifications:Channels:main:Retry:MaxDelay"] = "00:00:08",
            ["SignalFlow:Notifications:Channels:jpy:Type"] = "Discord",
            ["SignalFlow:Notifications:Channels:jpy:Url"] = _server.WebhookUrl("jpy"),
            ["SignalFlow:Notifications:Channels:jpy:Filter:Instruments:0"] = "GBP_JPY",
            ["SignalFlow:Notifications:Channels:jpy:Limits:PairCooldown"] = "00:00:00",
        }).Build();

        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(StorageNames.GrainState);
            silo.Services.UseJsonForGrainState<Orleans.Configuration.MemoryGrainStorageOptions>();
            silo.Services.AddSingleton<TimeProvider>(_time);
            silo.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
            silo.Services.AddSingleton<ISignalStore, InMemorySignalStore>();
            silo.Services.AddSignalFlowNotifications(configuration);
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        _timerTurns = new MetricCollector<long>(_cluster.GetSiloServiceProvider().GetRequiredService<IMeterFactory>(), SignalFlowMetrics.MeterName,
            "signalflow.notifications.timer_wakeups");
    }

    public async Task DisposeAsync()
    {
        _timerTurns.Dispose();
        await _cluster.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Enqueue_returns_once_stored_while_the_channel_hangs()
    {
        _server.SetMode("main", FakeWebhookMode.Hang);

        await Grain.EnqueueAsync(TestSignals.Create(1)).WaitAsync(TimeSpan.FromSeconds(30));
        await _server.Hangs.WaitToReadAsync();

        var main = (await Grain.GetChannelStatusAsync()).Single(s => s.Channel == "main");
        Assert.Equal(1, main.Pending);
        _server.SetMode("main", FakeWebhookMode.Normal);
        await RunUntilAsync(async () => (await Grain.GetChannelStatusAsync()).All(s => s.Pending == 0));
        Assert.Equal([TestSignals.Create(1).Id], _server.DeliveredIds("main"));
    }

    [Fact]
    public async Task Backlog_survives_reactivation_in_an_outage_and_is_delivered_once_after_recovery()
    {
        var signals = Enumerable.Range(0, 30).Select(i => TestSignals.Create(i, i % 3 == 0 ? "GBP_JPY" : "EUR_USD")).ToList();
        _server.SetMode("main", FakeWebhookMode.Unavailable);
        foreach (var signal in signals.Take(20))
        {
            await Grain.EnqueueAsync(signal);
        }

        var outageStart = _time.GetUtcNow();
        var sawOpen = false;
        await RunUntilAsync(async () =>
        {
            sawOpen |= (await Grain.GetChannelStatusAsync()).Single(s => s.Channel == "main").BreakerState == "Open";
            return _time.GetUtcNow() - outageStart >= TimeSpan.FromSeconds(30);
        });
        Assert.True(sawOpen, "the breaker opened during the outage");
        Assert.Equal(20, (await Grain.GetChannelStatusAsync()).Single(s => s.Channel == "main").Pending);

        await _cluster.DeactivateAsync(Grain);
        // A new activation starts from storage: fresh breaker, same outbox; re-handed ids are dropped.
        var main = (await Grain.GetChannelStatusAsync()).Single(s => s.Channel == "main");
        Assert.Equal("Closed", main.BreakerState);
        Assert.Equal(20, main.Pending);
        foreach (var signal in signals.Skip(10))
        {
            await Grain.EnqueueAsync(signal);
        }

        _server.SetMode("main", FakeWebhookMode.Hang);
        var hangStart = _time.GetUtcNow();
        await RunUntilAsync(() => Task.FromResult(_time.GetUtcNow() - hangStart >= TimeSpan.FromSeconds(20)));
        Assert.Equal(30, (await Grain.GetChannelStatusAsync()).Single(s => s.Channel == "main").Pending);

        _server.SetMode("main", FakeWebhookMode.Normal);
        await RunUntilAsync(async () => (await Grain.GetChannelStatusAsync()).All(s => s.Pending == 0));

        Assert.Equal(signals.Select(s => s.Id).Order(), _server.DeliveredIds("main").Order());
        // "jpy" keeps the legacy 5 signals per minute: the rest of the burst is suppressed and counted, not deferred.
        var jpy = signals.Where(s => s.Instrument.Name == "GBP_JPY").Select(s => s.Id).ToList();
        Assert.Equal(jpy.Take(5).Order(), _server.DeliveredIds("jpy").Order());
        var status = await Grain.GetChannelStatusAsync();
        Assert.Equal(jpy.Count - 5, status.Single(s => s.Channel == "jpy").Suppressed);
        Assert.Equal(30, status.Single(s => s.Channel == "main").Delivered);
        Assert.DoesNotContain(status, s => s.Target.Contains("secret", StringComparison.Ordinal));

        // Handed again after delivery (a strategy replay): not sent twice.
        await Grain.EnqueueAsync(signals[0]);
        await Grain.DeliverDueAsync();
        Assert.Single(_server.DeliveredIds("main"), signals[0].Id);
    }

    [Fact]
    public async Task Dead_letters_are_listed_and_redriven_through_the_grain()
    {
        _server.SetMode("jpy", FakeWebhookMode.Deleted);
        var signal = TestSignals.Create(1, "GBP_JPY");
        await Grain.EnqueueAsync(signal);
        await RunUntilAsync(async () => (await Grain.GetChannelStatusAsync()).All(s => s.Pending == 0));

        var letter = Assert.Single(await Grain.GetDeadLettersAsync("jpy"));
        Assert.Equal(signal, letter.Signal);
        Assert.Contains("404", letter.Reason);
        Assert.Equal(NotificationChannelHealth.Dead, (await Grain.GetChannelStatusAsync()).Single(s => s.Channel == "jpy").Health);
        Assert.Empty(await Grain.GetDeadLettersAsync("main"));

        _server.SetMode("jpy", FakeWebhookMode.Normal);
        Assert.Equal(1, await Grain.RedriveDeadLettersAsync("jpy"));
        await RunUntilAsync(async () => (await Grain.GetChannelStatusAsync()).All(s => s.Pending == 0));
        Assert.Equal([signal.Id], _server.DeliveredIds("jpy"));
        Assert.Empty(await Grain.GetDeadLettersAsync());
    }

    [Fact]
    public async Task An_idle_grain_with_empty_outboxes_makes_no_timer_turns_and_a_signal_enqueued_to_it_is_delivered()
    {
        Assert.All(await Grain.GetChannelStatusAsync(), s => Assert.Equal(0, s.Pending));

        // A minute of the former timer's 250 ms period.
        for (var i = 0; i < 240; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(250));
        }

        Assert.All(await Grain.GetChannelStatusAsync(), s => Assert.Equal(0, s.Pending));
        Assert.Equal(0, TimerTurns());

        await Grain.EnqueueAsync(TestSignals.Create(1));
        await _server.WaitForEmbedsAsync("main", 1).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([TestSignals.Create(1).Id], _server.DeliveredIds("main"));
        Assert.Equal(0, TimerTurns());
    }

    [Fact]
    public async Task A_failed_sends_backoff_retry_happens_on_the_timer_after_the_grain_has_gone_quiet()
    {
        _server.SetMode("main", FakeWebhookMode.Unavailable);
        await Grain.EnqueueAsync(TestSignals.Create(1));
        await Grain.DeliverDueAsync();
        Assert.Equal((1, 1), (_server.Unavailable, (await Grain.GetChannelStatusAsync()).Single(s => s.Channel == "main").Pending));

        // Nothing calls the grain from here: only its timer can retry. Backoff after one failure: 0.5-1 s.
        _server.SetMode("main", FakeWebhookMode.Normal);
        _time.Advance(TimeSpan.FromSeconds(0.25));
        Assert.Equal(0, TimerTurns());
        _time.Advance(TimeSpan.FromSeconds(0.75));

        await _server.WaitForEmbedsAsync("main", 1).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([TestSignals.Create(1).Id], _server.DeliveredIds("main"));
        Assert.Equal(1, TimerTurns());
    }

    private long TimerTurns() => _timerTurns.GetMeasurementSnapshot().EvaluateAsCounter();

    /// <summary>Delivers what is due through the grain, advancing the fake clock (past timeouts when the server hangs).</summary>
    private async Task RunUntilAsync(Func<Task<bool>> done, int maxSteps = 300)
    {
        for (var i = 0; i < maxSteps; i++)
        {
            var run = Grain.DeliverDueAsync();
            while (await Task.WhenAny(run, _server.Hangs.WaitToReadAsync().AsTask()) != run)
            {
                _server.Hangs.TryRead(out _);
                _time.Advance(TimeSpan.FromSeconds(5));
            }

            await run;
            if (await done())
            {
                return;
            }

            _time.Advance(TimeSpan.FromSeconds(1));
        }

        var status = string.Join("; ", await Grain.GetChannelStatusAsync());
        throw new TimeoutException($"Not done after {maxSteps} steps: {status}");
    }
}
