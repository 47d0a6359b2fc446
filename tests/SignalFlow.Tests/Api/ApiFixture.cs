using SignalFlow.Tests.Notifications;

namespace SignalFlow.Tests.Api;

/// <summary>One secured silo (reads need a key) with a Discord channel <c>alerts</c> on a loopback fake, shared by <see cref="ApiTests"/>.</summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public const string Channel = "alerts";
    public const string Webhook = "api-tests";

    public FakeDiscordServer Discord { get; private set; } = null!;

    public ApiHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Discord = await FakeDiscordServer.StartAsync(TimeProvider.System, bucketSize: 1000);
        Host = new ApiHost(new Dictionary<string, string?>
        {
            [$"SignalFlow:Notifications:Channels:{Channel}:Type"] = "Discord",
            [$"SignalFlow:Notifications:Channels:{Channel}:Url"] = Discord.WebhookUrl(Webhook),
            [$"SignalFlow:Notifications:Channels:{Channel}:Limits:SignalsPerMinute"] = "0",
            [$"SignalFlow:Notifications:Channels:{Channel}:Limits:SignalsPerHour"] = "0",
            [$"SignalFlow:Notifications:Channels:{Channel}:Limits:PairCooldown"] = "00:00:00",
            ["SignalFlow:Api:CorsOrigins:0"] = "https://app.example.com",
        });
        _ = Host.Client();
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Discord.DisposeAsync();
    }
}
