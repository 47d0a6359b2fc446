using System.Globalization;
using SignalFlow.Cli;
using SignalFlow.Client;
using SignalFlow.Grains;
using SignalFlow.Silo.Hosting;
using SignalFlow.Tests.Notifications;

namespace SignalFlow.Tests.Cluster;

/// <summary>The built <c>signalflow</c> CLI as an operator runs it, against a closed port and against a silo process.</summary>
[Collection(SiloProcess.Collection)]
public sealed class CliProcessTests
{
    private static readonly TimeSpan StepLimit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Against_a_closed_port_it_gives_up_within_the_connect_timeout_naming_the_gateway_and_cluster_id()
    {
        var port = LoopbackPort.Free();

        var (code, _, error) = await CliProcess.RunAsync(
            ["--gateway", $"127.0.0.1:{port}", "--connect-timeout", "2", "signals", "list"], StepLimit);

        Assert.Equal(CliCommands.Failure, code);
        Assert.Contains($"127.0.0.1:{port}", error, StringComparison.Ordinal);
        Assert.Contains("cluster id 'signalflow-dev'", error, StringComparison.Ordinal);
        Assert.Contains("Is the silo running", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operates_channels_dead_letters_and_the_report_of_a_running_silo_and_watch_ends_cleanly_on_SIGTERM()
    {
        var time = TimeProvider.System;
        await using var discord = await FakeDiscordServer.StartAsync(time, bucketSize: 50);
        discord.SetMode("desk", FakeWebhookMode.Deleted);
        await using var silo = await SiloProcess.StartAsync("silo", new Dictionary<string, string>
        {
            ["SignalFlow__Feeds__Demo__CandlesPerSecond"] = "50",
            ["SignalFlow__Notifications__MaxSignalAge"] = "00:00:00",
            ["SignalFlow__Notifications__Channels__desk__Type"] = "Discord",
            ["SignalFlow__Notifications__Channels__desk__Url"] = discord.WebhookUrl("desk"),
            ["SignalFlow__Notifications__Channels__desk__Limits__SignalsPerMinute"] = "0",
            ["SignalFlow__Notifications__Channels__desk__Limits__SignalsPerHour"] = "0",
            ["SignalFlow__Notifications__Channels__desk__Limits__PairCooldown"] = "00:00:00",
            // /metrics needs an operator key.
            ["SignalFlow__Api__Keys__ops__Role"] = "operator",
            ["SignalFlow__Api__Keys__ops__Sha256"] = Api.ApiHost.Sha256(Api.ApiHost.OperatorKey),
            ["DOTNET_gcServer"] = "0",
        }, StepLimit);
        // A generous connect timeout: the silo replays candles flat out on a shared 2-core machine.
        string[] connection = ["--gateway", $"127.0.0.1:{silo.GatewayPort}", "--connect-timeout", "30"];
        Assert.Contains("Notification channel desk: Discord to http://127.0.0.1", silo.Output, StringComparison.Ordinal);

        await using (var session = await CliSession.ConnectAsync(
            new SignalFlowClientOptions { Gateways = [$"127.0.0.1:{silo.GatewayPort}"] }, StepLimit, CancellationToken.None))
        {
            // The deleted webhook marks the channel dead: its signals become dead letters.
            await WaitUntilAsync(async () => (await session.Client.GetDeadLettersAsync("desk")).Count > 0);
        }

        var status = await RunAsync([.. connection, "channels", "status"]);
        Assert.Matches(@"desk\s+Discord\s+Dead", status);
        var letters = await RunAsync([.. connection, "dead-letters", "list", "--channel", "desk"]);
        Assert.Contains("HTTP 404", letters, StringComparison.Ordinal);

        Assert.Equal("desk: paused", (await RunAsync([.. connection, "channels", "pause", "desk"])).Trim());
        discord.SetMode("desk", FakeWebhookMode.Normal);
        Assert.Matches(@"desk: \d+ dead letter\(s\) re-driven", await RunAsync([.. connection, "dead-letters", "redrive", "desk"]));
        Assert.Matches(@"desk\s+Discord\s+Paused", await RunAsync([.. connection, "channels", "status"]));
        Assert.Empty(discord.DeliveredIds("desk"));

        Assert.Equal("desk: resumed", (await RunAsync([.. connection, "channels", "resume", "desk"])).Trim());
        await WaitUntilAsync(() => Task.FromResult(discord.DeliveredIds("desk").Count > 0));
        await WaitUntilAsync(() => Task.FromResult(silo.Output.Contains("Notification channel desk delivered", StringComparison.Ordinal)));

        var unknown = await CliProcess.RunAsync([.. connection, "channels", "pause", "nosuch"], StepLimit);
        Assert.Equal(CliCommands.Failure, unknown.ExitCode);
        Assert.Contains("no notification channel 'nosuch'", unknown.StandardError, StringComparison.Ordinal);

        var refused = await CliProcess.RunAsync(["report", "--metrics", $"http://127.0.0.1:{silo.HttpPort}/metrics", "--interval", "1"], StepLimit);
        Assert.Contains("401", refused.StandardError, StringComparison.Ordinal);
        var report = await RunAsync(["report", "--metrics", $"http://127.0.0.1:{silo.HttpPort}/metrics", "--interval", "1", "--api-key", Api.ApiHost.OperatorKey]);
        Assert.Matches(@"signals: [1-9]\d* emitted since start, [\d.]+/min over the last 1 s", report);
        Assert.Matches(@"candle-to-signal latency: mean [\d.]+ s, p50", report);
        Assert.Matches(@"signal-to-delivery latency: mean [\d.]+ s, p50", report);
        Assert.Matches(@"delivery success rate: [\d.]+ %", report);
        Assert.Contains("rate-limit hits:", report, StringComparison.Ordinal);
        Assert.Contains("outbox depth:", report, StringComparison.Ordinal);
        Assert.Matches(@"process: memory \(working set\) [\d.]+ MiB, CPU [\d.]+ % of \d+ core", report);

        await using var watch = await ChildProcess.StartAsync("watch", CliProcess.StartInfo([.. connection, "signals", "watch", "--interval", "1"]),
            "watching signals", StepLimit);
        watch.Terminate();
        Assert.Equal(0, await watch.WaitForExitAsync(StepLimit));
        Assert.Matches(@"(BUY|SELL) ", watch.Output);
    }

    private static async Task<string> RunAsync(string[] args)
    {
        var (code, output, error) = await CliProcess.RunAsync(args, StepLimit);
        Assert.True(code == 0, $"signalflow {string.Join(' ', args)} exited {code}: {error}");
        return output;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> done)
    {
        using var limit = new CancellationTokenSource(StepLimit);
        while (!await done())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), limit.Token);
        }
    }
}
