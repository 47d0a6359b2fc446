using SignalFlow.Grains;
using SignalFlow.Notifications;

namespace SignalFlow.Tests.Notifications;

public sealed class EmailDeliveryTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    private static NotificationChannelOptions Email(int port, params string[] to)
    {
        var options = DeliveryHarness.Channel(url: "", NotificationChannelType.Email);
        options.Url = null;
        options.Email = new EmailChannelOptions { SmtpHost = "127.0.0.1", SmtpPort = port, Security = "None", From = "signals@signalflow.test", To = [.. to] };
        return options;
    }

    [Fact]
    public async Task Signals_are_mailed_in_one_message_per_batch()
    {
        await using var smtp = new FakeSmtpServer();
        await using var harness = await DeliveryHarness.StartAsync(_ => new() { ["mail"] = Email(smtp.Port, "desk@signalflow.test") });
        var signals = Enumerable.Range(0, 3).Select(i => TestSignals.Create(i, confidence: 0.65, riskReward: 1.6)).ToList();

        await harness.EnqueueAsync(signals);
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).Single().Pending == 0, Tick);

        var all = string.Join("\n", smtp.Messages);
        Assert.All(signals, s => Assert.Contains(s.Id, all));
        Assert.Contains("Standard", all);
        Assert.Equal(3, (await harness.StatusAsync()).Single().Delivered);
    }

    [Fact]
    public async Task An_outcome_follow_up_is_mailed_with_its_line_as_the_subject()
    {
        await using var smtp = new FakeSmtpServer();
        var options = Email(smtp.Port, "desk@signalflow.test");
        options.OutcomeFollowUps = true;
        await using var harness = await DeliveryHarness.StartAsync(_ => new() { ["mail"] = options });
        var signal = TestSignals.Create(1);
        await harness.EnqueueAsync([signal]);
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).Single().Pending == 0, Tick);

        await harness.Scheduler.RunAsync(() => harness.Dispatcher.EnqueueAsync(OutcomeFollowUpOutboxTests.FollowUpOf(signal)));
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).Single().Pending == 0, Tick);

        var messages = smtp.Messages.ToList();
        Assert.Equal(2, messages.Count);
        Assert.Contains("Subject: SignalFlow: EUR/USD BUY closed at target, +45.2 pips, +1.5R", messages[1]);
        Assert.Contains($"signal {signal.Id}", messages[1]);
    }

    [Fact]
    public async Task A_refused_recipient_dead_letters_with_the_smtp_reason()
    {
        await using var smtp = new FakeSmtpServer();
        smtp.RefusedRecipients.Add("nobody@signalflow.test");
        await using var harness = await DeliveryHarness.StartAsync(_ => new() { ["mail"] = Email(smtp.Port, "nobody@signalflow.test") });

        await harness.EnqueueAsync([TestSignals.Create(1)]);
        await harness.RunUntilAsync(async () => (await harness.StatusAsync()).Single().Pending == 0, Tick);

        var letter = Assert.Single(await harness.Scheduler.Run(() => harness.Dispatcher.DeadLetters("mail")));
        Assert.Contains("SMTP 550", letter.Reason);
        Assert.Empty(smtp.Messages);
    }

    [Fact]
    public async Task An_unreachable_server_is_transient_and_keeps_the_signal()
    {
        int closedPort;
        await using (var gone = new FakeSmtpServer())
        {
            closedPort = gone.Port;
        }

        await using var harness = await DeliveryHarness.StartAsync(_ => new() { ["mail"] = Email(closedPort, "desk@signalflow.test") });
        await harness.EnqueueAsync([TestSignals.Create(1)]);
        await harness.RunUntilAsync(() => Task.FromResult(true), Tick);

        var status = (await harness.StatusAsync()).Single();
        Assert.Equal(1, status.Pending);
        Assert.Equal(NotificationChannelHealth.Active, status.Health);
        Assert.NotNull(status.NextAttemptAt);
        Assert.StartsWith("SMTP", status.LastError);
    }
}
