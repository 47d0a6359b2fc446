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

    [Theory]
    [InlineData("Telegramm")]
    [InlineData("Signal")]
    public void An_unknown_channel_type_stops_the_start_naming_the_channel_and_the_value(string type)
    {
        using var services = Build(new()
        {
            ["SignalFlow:Notifications:Channels:alerts:Type"] = type,
            ["SignalFlow:Notifications:Channels:alerts:Url"] = "https://example.test/hook",
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<NotificationOptions>>().Value);

        Assert.Contains($"SignalFlow:Notifications:Channels:alerts:Type '{type}' is not a channel type", error.Message, StringComparison.Ordinal);
        Assert.Contains("Telegram, Slack, Sms", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_channel_with_a_malformed_value_stops_the_start_instead_of_vanishing()
    {
        using var services = Build(new()
        {
            ["SignalFlow:Notifications:Channels:alerts:Type"] = "Slack",
            ["SignalFlow:Notifications:Channels:alerts:Url"] = "https://hooks.slack.test/services/T/B/x",
            ["SignalFlow:Notifications:Channels:alerts:Timeout"] = "ten seconds",
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<NotificationOptions>>().Value);

        Assert.Contains("SignalFlow:Notifications:Channels:alerts could not be read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Outcome_follow_ups_are_off_unless_a_channel_opts_in_and_a_value_that_is_not_true_or_false_stops_the_start()
    {
        var settings = new Dictionary<string, string?>
        {
            ["SignalFlow:Notifications:Channels:results:Type"] = "Slack",
            ["SignalFlow:Notifications:Channels:results:Url"] = "https://hooks.slack.test/services/T/B/x",
            ["SignalFlow:Notifications:Channels:results:OutcomeFollowUps"] = "true",
            ["SignalFlow:Notifications:Channels:signals:Type"] = "Slack",
            ["SignalFlow:Notifications:Channels:signals:Url"] = "https://hooks.slack.test/services/T/B/y",
        };
        using (var services = Build(settings))
        {
            var channels = services.GetRequiredService<IOptions<NotificationOptions>>().Value.Channels;
            Assert.Equal((true, false), (channels["results"].OutcomeFollowUps, channels["signals"].OutcomeFollowUps));
        }

        settings["SignalFlow:Notifications:Channels:results:OutcomeFollowUps"] = "yes";
        using var misspelled = Build(settings);
        var error = Assert.Throws<OptionsValidationException>(() => misspelled.GetRequiredService<IOptions<NotificationOptions>>().Value);
        Assert.Contains("SignalFlow:Notifications:Channels:results could not be read", error.Message, StringComparison.Ordinal);

        // Options built in code may name a channel with ':', which its follow-up status entry ("{channel}:outcome") cannot share.
        var coded = new NotificationOptions { Channels = { ["a:b"] = new NotificationChannelOptions { Type = NotificationChannelType.Slack, Url = "https://hooks.slack.test/x", OutcomeFollowUps = true } } };
        Assert.Contains("Channels:a:b:OutcomeFollowUps needs a channel name without ':'", new NotificationOptionsValidator().Validate(null, coded).FailureMessage);
    }

    [Fact]
    public void Telegram_slack_and_sms_channels_bind_and_validate_with_sms_premium_only_by_default()
    {
        using var services = Build(new()
        {
            ["SignalFlow:Notifications:Channels:tg:Type"] = "Telegram",
            ["SignalFlow:Notifications:Channels:tg:Telegram:BotToken"] = "123:secret",
            ["SignalFlow:Notifications:Channels:tg:Telegram:ChatId"] = "-100123",
            ["SignalFlow:Notifications:Channels:slack:Type"] = "slack",
            ["SignalFlow:Notifications:Channels:slack:Url"] = "https://hooks.slack.com/services/T/B/secret",
            ["SignalFlow:Notifications:Channels:sms:Type"] = "Sms",
            ["SignalFlow:Notifications:Channels:sms:Sms:AccountSid"] = "AC1",
            ["SignalFlow:Notifications:Channels:sms:Sms:AuthToken"] = "token-secret",
            ["SignalFlow:Notifications:Channels:sms:Sms:From"] = "+15005550006",
            ["SignalFlow:Notifications:Channels:sms:Sms:To"] = "+447700900123",
        });

        var channels = services.GetRequiredService<NotificationChannelFactory>().DescribeChannels();

        Assert.Equal([NotificationChannelType.Slack, NotificationChannelType.Sms, NotificationChannelType.Telegram], channels.Select(c => c.Type));
        Assert.All(channels, c => Assert.DoesNotContain("secret", c.Target, StringComparison.Ordinal));
        var options = services.GetRequiredService<IOptions<NotificationOptions>>().Value;
        Assert.Equal([SignalTier.Premium], options.Channels["sms"].EffectiveTiers);
        Assert.Empty(options.Channels["tg"].EffectiveTiers);
    }

    [Fact]
    public void Telegram_and_sms_channels_without_their_credentials_fail_naming_the_section()
    {
        using var services = Build(new()
        {
            ["SignalFlow:Notifications:Channels:tg:Type"] = "Telegram",
            ["SignalFlow:Notifications:Channels:sms:Type"] = "Sms",
            ["SignalFlow:Notifications:Channels:sms:Sms:AuthToken"] = "token-secret",
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<NotificationOptions>>().Value);

        Assert.Contains("Channels:tg:Telegram needs BotToken, ChatId", error.Message, StringComparison.Ordinal);
        Assert.Contains("Channels:sms:Sms needs AccountSid, AuthToken, From, To", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("token-secret", error.Message, StringComparison.Ordinal);
    }
}
