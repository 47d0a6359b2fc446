using System.Text.Json;
using Microsoft.Extensions.Configuration;
using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Notifications;
using SignalFlow.Outcomes;
using SignalFlow.Signals;
using SignalFlow.Silo.Notifications;
using SignalFlow.Tests.Notifications;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Pipeline;

/// <summary>The pipeline with two JSON webhook channels on a loopback server: <c>opted</c> takes outcome follow-ups, <c>plain</c> does not.</summary>
public sealed class FollowUpPipelineCluster : PipelineCluster
{
    public FakeDiscordServer Server { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Server = await FakeDiscordServer.StartAsync(TimeProvider.System);
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Server.DisposeAsync();
    }

    protected override void ConfigureSilo(ISiloBuilder silo)
    {
        var settings = new Dictionary<string, string?>();
        foreach (var (name, optedIn) in new[] { ("opted", true), ("plain", false) })
        {
            var prefix = $"{NotificationOptions.Section}:Channels:{name}";
            settings[$"{prefix}:Type"] = "Webhook";
            settings[$"{prefix}:Url"] = Server.JsonUrl(name);
            settings[$"{prefix}:OutcomeFollowUps"] = optedIn ? "true" : "false";

            // A replay hands over hundreds of signals at once: no signal limits, no local request limiter.
            settings[$"{prefix}:Limits:SignalsPerMinute"] = "0";
            settings[$"{prefix}:Limits:SignalsPerHour"] = "0";
            settings[$"{prefix}:Limits:PairCooldown"] = "00:00:00";
            settings[$"{prefix}:RateLimit:Requests"] = "0";
        }

        silo.Services.AddSignalFlowNotifications(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
    }
}

/// <summary>
/// Signals that resolve in the grain pipeline (strategy grain, outcome store, notification grain) give the channel
/// that opted in exactly one follow-up each, the other channel none, and handing them over again after the
/// notification grain was reactivated sends none twice.
/// </summary>
public class OutcomeFollowUpPipelineTests(FollowUpPipelineCluster pipeline) : IClassFixture<FollowUpPipelineCluster>
{
    private INotificationGrain Notifications => pipeline.Cluster.Client.GetGrain<INotificationGrain>(INotificationGrain.SingletonKey);

    private IReadOnlyList<JsonElement> Posts(string hook, bool outcomes) => pipeline.Server.JsonPosts
        .Where(p => p.Hook == hook && p.Body.TryGetProperty("type", out var type) == outcomes && (!outcomes || type.GetString() == "outcome"))
        .Select(p => p.Body).ToList();

    [Fact]
    public async Task The_opted_in_channel_gets_one_follow_up_per_resolved_signal_and_the_other_none_also_after_a_redelivery()
    {
        var series = SeriesKey.Parse("EUR_USD_H4");
        await pipeline.ReplayAsync(series, SampleData.Candles(series).Take(600).ToList());
        await Notifications.DeliverDueAsync();

        var recorded = pipeline.Store.OutcomeCalls.Where(c => c.Result == OutcomeRecordResult.Recorded).Select(c => c.SignalId).ToList();
        Assert.True(recorded.Count > 10, $"only {recorded.Count} outcomes");
        var outcomes = await pipeline.Store.GetOutcomesAsync(recorded);
        var followUps = Posts("opted", outcomes: true).Select(b => b.GetProperty("outcome")).ToList();
        Assert.Equal(recorded.Order(StringComparer.Ordinal), followUps.Select(f => f.GetProperty("signal_id").GetString()!).Order(StringComparer.Ordinal));
        foreach (var followUp in followUps)
        {
            var outcome = outcomes[followUp.GetProperty("signal_id").GetString()!];
            Assert.Equal(Math.Round(outcome.Pips!.Value, 1, MidpointRounding.AwayFromZero), followUp.GetProperty("pips").GetDouble());
            Assert.Equal(outcome.Result switch { OutcomeResult.Win => "target", OutcomeResult.Loss => "stop", _ => "expired" },
                followUp.GetProperty("result").GetString());
        }

        // Every signal went to both channels; only follow-ups are told apart.
        Assert.Equal(Posts("opted", outcomes: false).Sum(b => b.GetProperty("signals").GetArrayLength()),
            Posts("plain", outcomes: false).Sum(b => b.GetProperty("signals").GetArrayLength()));
        Assert.Empty(Posts("plain", outcomes: true));

        // A redelivery after the notification grain moved (the strategy grain's retry of a failed hand-over): nothing twice.
        await pipeline.Cluster.DeactivateAsync(Notifications);
        var signals = (await pipeline.Store.QueryAsync(new SignalQuery(series.Instrument, series.Timeframe, Limit: int.MaxValue))).ToDictionary(s => s.Id);
        var again = recorded.Take(5).Select(id => new OutcomeFollowUp(id, signals[id].StrategyId, series.Instrument, series.Timeframe, signals[id].Direction,
            outcomes[id].Result, outcomes[id].ExitTime!.Value, outcomes[id].ExitPrice!.Value, outcomes[id].BarsHeld, 0, null));
        foreach (var followUp in again)
        {
            await Notifications.EnqueueOutcomeAsync(followUp);
        }

        await Notifications.DeliverDueAsync();
        Assert.Equal(recorded.Count, Posts("opted", outcomes: true).Count);
        var status = await pipeline.Store.GetNotificationsAsync(recorded[0]);
        Assert.Equal(ChannelNotificationStatus.Delivered, status!.Channels["opted:outcome"].Status);
        Assert.DoesNotContain("plain:outcome", status.Channels.Keys);
    }
}
