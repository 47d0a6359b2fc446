using System.Text.RegularExpressions;
using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Notifications;
using SignalFlow.Outcomes;

namespace SignalFlow.Tests.Notifications;

/// <summary>Telegram, Slack and Twilio SMS channels through the same outbox, limits, breaker and dead letters as Discord, against loopback fakes on fake time.</summary>
public sealed partial class ChatChannelDeliveryTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    [Fact]
    public async Task Telegram_delivers_a_burst_once_each_within_4096_characters_waiting_out_every_429_for_its_retry_after()
    {
        var clock = DeliveryHarness.NewClock();
        await using var services = await FakeChatServices.StartAsync(clock);
        await using var harness = await DeliveryHarness.StartAsync(_ => new() { ["tg"] = Telegram(services) }, clock);
        var signals = Enumerable.Range(0, 30).Select(i => TestSignals.Create(i, i % 2 == 0 ? "EUR_USD" : "USD_JPY")).ToList();

        await harness.EnqueueAsync(signals);
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).Single().Pending == 0, Tick);

        Assert.Equal(signals.Select(s => s.Id).Order(), services.TelegramTexts.SelectMany(Ids).Order());
        Assert.All(services.TelegramTexts, text => Assert.InRange(text.Length, 1, TelegramChannel.MaxMessageLength));
        Assert.Contains(services.Log, r => r.Status == 429);
        AssertEveryWaitObeyed(services.Log.Where(r => r.Service == "telegram").ToList());
        var status = (await harness.StatusAsync()).Single();
        Assert.Equal(30, status.Delivered);
        Assert.Equal("Telegram", status.Type);
        Assert.DoesNotContain(FakeChatServices.BotToken, status.Target, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Telegram_chat_not_found_marks_the_channel_dead_with_the_api_description_and_no_token()
    {
        var clock = DeliveryHarness.NewClock();
        await using var services = await FakeChatServices.StartAsync(clock);
        var options = Telegram(services);
        options.Telegram.ChatId = "-100999";
        await using var harness = await DeliveryHarness.StartAsync(_ => new() { ["tg"] = options }, clock);

        await harness.EnqueueAsync([TestSignals.Create(1), TestSignals.Create(2)]);
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).Single().Health == NotificationChannelHealth.Dead, Tick, maxSteps: 20);

        var status = (await harness.StatusAsync()).Single();
        Assert.Contains("chat not found", status.DeadReason);
        Assert.Equal(2, status.DeadLetters);
        Assert.DoesNotContain(FakeChatServices.BotToken, status.DeadReason!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Slack_delivers_a_burst_once_each_obeying_Retry_After_and_a_removed_webhook_marks_the_channel_dead()
    {
        var clock = DeliveryHarness.NewClock();
        await using var services = await FakeChatServices.StartAsync(clock);
        await using var harness = await DeliveryHarness.StartAsync(_ => new() { ["slack"] = Slack(services) }, clock);
        var signals = Enumerable.Range(0, 25).Select(i => TestSignals.Create(i)).ToList();

        await harness.EnqueueAsync(signals);
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).Single().Pending == 0, Tick);

        Assert.Equal(signals.Select(s => s.Id).Order(), services.SlackTexts.SelectMany(Ids).Order());
        Assert.Contains(services.Log, r => r.Status == 429);
        AssertEveryWaitObeyed(services.Log.Where(r => r.Service == "slack").ToList());
        Assert.Equal(25, (await harness.StatusAsync()).Single().Delivered);

        services.SlackRemoved = true;
        await harness.EnqueueAsync([TestSignals.Create(100)]);
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).Single().Health == NotificationChannelHealth.Dead, Tick, maxSteps: 40);
        var status = (await harness.StatusAsync()).Single();
        Assert.Contains("no_service", status.DeadReason);
        Assert.DoesNotContain("slack-secret-path", status.Target, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Telegram_slack_and_sms_send_an_outcome_follow_up_as_one_line_after_the_signal()
    {
        var clock = DeliveryHarness.NewClock();
        await using var services = await FakeChatServices.StartAsync(clock);
        var channels = new Dictionary<string, NotificationChannelOptions>
        {
            ["tg"] = Telegram(services),
            ["slack"] = Slack(services),
            ["sms"] = Sms(services, "+447700900123"),
        };
        foreach (var channel in channels.Values)
        {
            channel.OutcomeFollowUps = true;
        }

        await using var harness = await DeliveryHarness.StartAsync(_ => channels, clock);
        var signal = TestSignals.Create(1, "USD_JPY", riskReward: 2.5, confidence: 0.9, direction: SignalDirection.Sell);
        await harness.EnqueueAsync([signal]);
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).All(s => s.Pending == 0), Tick);

        await harness.Scheduler.RunAsync(() => harness.Dispatcher.EnqueueAsync(OutcomeFollowUpOutboxTests.FollowUpOf(signal, OutcomeResult.Loss) with { Pips = -30.1, RMultiple = -1.0 }));
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).All(s => s.Pending == 0), Tick);

        const string line = "USD/JPY SELL closed at stop, -30.1 pips, -1.0R";
        Assert.Equal([signal.Id], services.TelegramTexts.SelectMany(Ids));
        Assert.Equal(line, services.TelegramTexts[^1]);
        Assert.Equal(line, services.SlackTexts[^1]);
        Assert.Equal([$"SignalFlow {line}"], services.Sms.Skip(1).Select(s => s.Body));
        Assert.All(await harness.StatusAsync(), s => Assert.Equal(2, s.Delivered));
    }

    [Fact]
    public async Task Sms_goes_to_premium_signals_only_by_default_one_160_character_gsm_message_each_within_twilios_rate()
    {
        var clock = DeliveryHarness.NewClock();
        await using var services = await FakeChatServices.StartAsync(clock);
        await using var harness = await DeliveryHarness.StartAsync(_ => new() { ["sms"] = Sms(services, "+447700900123") }, clock);
        var premium = Enumerable.Range(0, 10).Select(i => TestSignals.Create(i, riskReward: 2.5, confidence: 0.9, strategy: "a_rather_long_strategy_name_{with}_[brackets]_and_€")).ToList();
        var standard = TestSignals.Create(50, riskReward: 1.6, confidence: 0.7);
        var free = TestSignals.Create(51);

        await harness.EnqueueAsync([.. premium, standard, free]);
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).Single().Pending == 0, Tick);

        Assert.Equal(10, services.Sms.Count);
        Assert.All(services.Sms, sms =>
        {
            Assert.Equal("+447700900123", sms.To);
            Assert.Equal(FakeChatServices.SmsFrom, sms.From);
            Assert.InRange(sms.Body.Length, 1, SignalText.SmsLength);
            Assert.All(sms.Body, c => Assert.True(SignalText.IsGsmBasic(c), $"'{c}' is not a GSM-7 basic character"));
            Assert.StartsWith("SignalFlow BUY EUR/USD H4 @1.08765", sms.Body, StringComparison.Ordinal);
        });
        Assert.Contains(services.Log, r => r.Status == 429);
        Assert.Equal(10, (await harness.StatusAsync()).Single().Delivered);
    }

    [Fact]
    public async Task Sms_to_an_unsubscribed_number_or_with_a_refused_token_marks_the_channel_dead_naming_the_twilio_error()
    {
        var clock = DeliveryHarness.NewClock();
        await using var services = await FakeChatServices.StartAsync(clock);
        services.UnsubscribedNumber = "+447700900999";
        var badToken = Sms(services, "+447700900123");
        badToken.Sms.AuthToken = "wrong";
        await using var harness = await DeliveryHarness.StartAsync(_ => new()
        {
            ["stopped"] = Sms(services, "+447700900999"),
            ["badtoken"] = badToken,
        }, clock);

        await harness.EnqueueAsync([TestSignals.Create(1, riskReward: 2.5, confidence: 0.9)]);
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).All(s => s.Health == NotificationChannelHealth.Dead), Tick, maxSteps: 20);

        var statuses = (await harness.StatusAsync()).ToDictionary(s => s.Channel);
        Assert.Contains("Twilio error 21610", statuses["stopped"].DeadReason);
        Assert.Contains("Twilio error 20003", statuses["badtoken"].DeadReason);
        Assert.DoesNotContain("+447700900999", statuses["stopped"].Target, StringComparison.Ordinal);
        Assert.Empty(services.Sms);
    }

    [Fact]
    public void An_sms_stays_one_gsm_segment_whatever_the_strategy_id()
    {
        var signal = TestSignals.Create(1, "GBP_JPY", strategy: new string('x', 300) + "€[]");

        var text = SignalText.Sms(new OutgoingSignal(signal));
        var marked = SignalText.Sms(new OutgoingSignal(signal, Late: TimeSpan.FromMinutes(13), PossibleRepeat: true));

        Assert.Equal(SignalText.SmsLength, text.Length);
        Assert.All(text, c => Assert.True(SignalText.IsGsmBasic(c)));
        Assert.StartsWith("SignalFlow BUY GBP/JPY H4 @150.123 SL", text, StringComparison.Ordinal);
        Assert.Equal(SignalText.SmsLength, marked.Length);
        Assert.StartsWith("SignalFlow (POSSIBLE REPEAT) (LATE 13 min) BUY GBP/JPY", marked, StringComparison.Ordinal);
    }

    private static NotificationChannelOptions Telegram(FakeChatServices services)
    {
        var options = WithoutLocalLimit(DeliveryHarness.Channel("unused", NotificationChannelType.Telegram));
        options.Url = null;
        options.MaxSignalsPerMessage = 3;
        options.Telegram = new TelegramChannelOptions { BotToken = FakeChatServices.BotToken, ChatId = FakeChatServices.ChatId, ApiBaseUrl = services.BaseUrl };
        return options;
    }

    private static NotificationChannelOptions Slack(FakeChatServices services)
    {
        var options = WithoutLocalLimit(DeliveryHarness.Channel(services.SlackWebhookUrl, NotificationChannelType.Slack));
        options.MaxSignalsPerMessage = 2;
        return options;
    }

    private static NotificationChannelOptions Sms(FakeChatServices services, string to)
    {
        var options = WithoutLocalLimit(DeliveryHarness.Channel("unused", NotificationChannelType.Sms));
        options.Url = null;
        options.Sms = new SmsChannelOptions
        {
            AccountSid = FakeChatServices.AccountSid,
            AuthToken = FakeChatServices.AuthToken,
            From = FakeChatServices.SmsFrom,
            To = to,
            ApiBaseUrl = services.BaseUrl,
        };
        return options;
    }

    /// <summary>No local limiter, so that the server's own limit answers 429 and the wait it asks for is tested.</summary>
    private static NotificationChannelOptions WithoutLocalLimit(NotificationChannelOptions options)
    {
        options.RateLimit.Requests = 0;
        return options;
    }

    /// <summary>After each 429 that named a wait, the next request came no sooner.</summary>
    private static void AssertEveryWaitObeyed(IReadOnlyList<(string Service, DateTimeOffset At, int Status, TimeSpan? RetryAfter)> log)
    {
        for (var i = 0; i < log.Count - 1; i++)
        {
            if (log[i] is { Status: 429, RetryAfter: { } wait })
            {
                Assert.True(log[i + 1].At >= log[i].At + wait, $"request at {log[i + 1].At:O} before the {wait} asked for at {log[i].At:O}");
            }
        }
    }

    private static IEnumerable<string> Ids(string text) => IdLine().Matches(text).Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"^id (\S+)$", RegexOptions.Multiline)]
    private static partial Regex IdLine();
}
