using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SignalFlow.Notifications;
using SignalFlow.Silo.Notifications;

namespace SignalFlow.Tests.Notifications;

public sealed class NotificationHostingTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddSignalFlowNotifications(configuration).BuildServiceProvider();
    }

    [Fact]
    public void Channels_bind_from_configuration_into_their_kinds()
    {
        using var services = Build(new()
        {
            ["SignalFlow:Notifications:Channels:premium:Type"] = "Discord",
            ["SignalFlow:Notifications:Channels:premium:Url"] = "https://discord.com/api/webhooks/1/secret",
            ["SignalFlow:Notifications:Channels:premium:Filter:Tiers:0"] = "Premium",
            ["SignalFlow:Notifications:Channels:sms:Type"] = "Webhook",
            ["SignalFlow:Notifications:Channels:sms:Url"] = "https://sms.example.test/hook",
            ["SignalFlow:Notifications:Channels:mail:Type"] = "Email",
            ["SignalFlow:Notifications:Channels:mail:Email:SmtpHost"] = "smtp.example.test",
            ["SignalFlow:Notifications:Channels:mail:Email:From"] = "signals@example.test",
            ["SignalFlow:Notifications:Channels:mail:Email:To:0"] = "desk@example.test",
            ["SignalFlow:Notifications:Channels:off:Url"] = "https://discord.com/api/webhooks/2/x",
            ["SignalFlow:Notifications:Channels:off:Enabled"] = "false",
        });

        var deliveries = services.GetRequiredService<NotificationChannelFactory>().CreateDeliveries();

        Assert.Equal(["mail", "premium", "sms"], deliveries.Select(d => d.Channel.Name));
        Assert.Equal([NotificationChannelType.Email, NotificationChannelType.Discord, NotificationChannelType.Webhook], deliveries.Select(d => d.Channel.Type));
        Assert.Equal("https://discord.com/***", deliveries[1].Channel.Target);
        Assert.Equal([SignalTier.Premium], services.GetRequiredService<IOptions<NotificationOptions>>().Value.Channels["premium"].Filter.Tiers);
    }

    [Fact]
    public void Without_configuration_there_are_no_channels()
    {
        using var services = Build([]);
        Assert.Empty(services.GetRequiredService<NotificationChannelFactory>().CreateDeliveries());
    }

    [Fact]
    public void Bad_configuration_fails_with_the_setting_named_and_the_secret_hidden()
    {
        using var services = Build(new()
        {
            ["SignalFlow:Notifications:Channels:main:Url"] = "discord.com/api/webhooks/1/very-secret",
            ["SignalFlow:Notifications:Channels:main:Filter:Instruments:0"] = "EUR/USD",
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<NotificationOptions>>().Value);
        Assert.Contains("Channels:main:Url", error.Message);
        Assert.Contains("EUR/USD", error.Message);
        Assert.DoesNotContain("very-secret", error.Message);
    }
}
