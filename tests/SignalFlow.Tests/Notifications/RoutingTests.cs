using SignalFlow.Notifications;

namespace SignalFlow.Tests.Notifications;

public sealed class RoutingTests
{
    private static NotificationOptions Options(params (string Name, ChannelFilterOptions Filter)[] channels) => new()
    {
        Channels = channels.ToDictionary(c => c.Name, c => new NotificationChannelOptions { Url = "https://example.test/hook", Filter = c.Filter }),
    };

    [Theory]
    [InlineData(0.85, 2.0, SignalTier.Premium)]
    [InlineData(0.85, 1.9, SignalTier.Standard)]
    [InlineData(0.6, 1.5, SignalTier.Standard)]
    [InlineData(0.59, 3.0, SignalTier.Free)]
    [InlineData(0.9, 1.0, SignalTier.Free)]
    public void Legacy_tiers_by_confidence_and_risk_reward(double confidence, double riskReward, SignalTier expected) =>
        Assert.Equal(expected, new SignalTierClassifier(new SignalTierOptions()).Classify(TestSignals.Create(1, riskReward: riskReward, confidence: confidence)));

    [Fact]
    public void A_signal_without_confidence_is_free_unless_a_confidence_is_assumed()
    {
        var unrated = TestSignals.Create(1, riskReward: 3.0);
        Assert.Equal(SignalTier.Free, new SignalTierClassifier(new SignalTierOptions()).Classify(unrated));
        Assert.Equal(SignalTier.Premium, new SignalTierClassifier(new SignalTierOptions { ConfidenceWhenMissing = 0.8 }).Classify(unrated));
    }

    [Fact]
    public void Filters_send_each_signal_where_the_configuration_says()
    {
        var router = new NotificationRouter(Options(
            ("all", new ChannelFilterOptions()),
            ("eurusd-h4", new ChannelFilterOptions { Instruments = ["EUR_USD"], Timeframes = ["H4"] }),
            ("jpy-rr2", new ChannelFilterOptions { Instruments = ["GBP_JPY", "USD_JPY"], MinRiskReward = 2.0 }),
            ("confident", new ChannelFilterOptions { MinConfidence = 0.7 }),
            ("premium", new ChannelFilterOptions { Tiers = [SignalTier.Premium] }),
            ("standard-and-free", new ChannelFilterOptions { Tiers = [SignalTier.Standard, SignalTier.Free] })));

        Assert.Equal(["all", "eurusd-h4", "standard-and-free"], router.Route(TestSignals.Create(1)));
        Assert.Equal(["all", "standard-and-free"], router.Route(TestSignals.Create(1, timeframe: "D")));
        Assert.Equal(["all", "confident", "jpy-rr2", "premium"], router.Route(TestSignals.Create(1, "GBP_JPY", riskReward: 2.0, confidence: 0.9)));
        Assert.Equal(["all", "confident", "standard-and-free"], router.Route(TestSignals.Create(1, "GBP_JPY", riskReward: 1.9, confidence: 0.9)));
    }

    [Fact]
    public void Disabled_channels_take_nothing()
    {
        var options = Options(("on", new ChannelFilterOptions()), ("off", new ChannelFilterOptions()));
        options.Channels["off"].Enabled = false;
        Assert.Equal(["on"], new NotificationRouter(options).Route(TestSignals.Create(1)));
    }

    [Fact]
    public void Legacy_slash_pair_names_in_a_filter_are_refused_with_the_setting_named()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new NotificationRouter(Options(("bad", new ChannelFilterOptions { Instruments = ["EUR/USD"] }))));
        Assert.Contains("Channels:bad:Filter", error.Message);
        Assert.Contains("EUR/USD", error.Message);
    }

    [Fact]
    public void Validator_names_bad_settings_without_revealing_the_url()
    {
        var options = new NotificationOptions
        {
            Channels =
            {
                ["discord"] = new NotificationChannelOptions { Url = "not a url with secret-token", MaxSignalsPerMessage = 11 },
                ["mail"] = new NotificationChannelOptions { Type = NotificationChannelType.Email },
            },
        };
        var result = new NotificationOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Channels:discord:Url", result.FailureMessage);
        Assert.Contains("Channels:discord:MaxSignalsPerMessage", result.FailureMessage);
        Assert.Contains("Channels:mail:Email", result.FailureMessage);
        Assert.DoesNotContain("secret-token", result.FailureMessage);
        Assert.True(new NotificationOptionsValidator().Validate(null, Options(("ok", new ChannelFilterOptions()))).Succeeded);
    }
}
