using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SignalFlow.Domain;
using SignalFlow.Oanda;
using SignalFlow.Silo.Feeds;
using SignalFlow.Strategies;

using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Oanda;

public class OandaFeedConfigurationTests
{
    private const string Token = "tok-very-secret-42";

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private static List<Type?> HostedServices(IServiceCollection services) =>
        services.Where(d => d.ServiceType == typeof(IHostedService)).Select(d => d.ImplementationType).ToList();

    [Fact]
    public void Runs_the_OANDA_feed_instead_of_the_demo_when_an_account_and_token_are_configured()
    {
        var services = new ServiceCollection().AddSignalFlowFeeds(Configuration(
            ("SignalFlow:Feeds:Oanda:AccountId", "101-004-1-001"), ("SignalFlow:Feeds:Oanda:Token", Token), ("SignalFlow:Feeds:Oanda:Instruments:0", "EUR_USD")));

        Assert.Contains(typeof(OandaFeedPlanCheck), HostedServices(services));
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(DemoCandleFeed));
        Assert.Contains(services, d => d.ServiceType == typeof(OandaPricingStreamClient));
        Assert.Contains(services, d => d.ServiceType == typeof(OandaCandleClient));
    }

    [Fact]
    public void Runs_the_demo_feed_without_an_account()
    {
        var services = new ServiceCollection().AddSignalFlowFeeds(Configuration(("SignalFlow:Feeds:Oanda:Token", Token)));

        Assert.Contains(services, d => d.ServiceType == typeof(DemoCandleFeed));
        Assert.DoesNotContain(typeof(OandaFeedPlanCheck), HostedServices(services));
    }

    [Fact]
    public void Refuses_an_invalid_configuration_without_revealing_the_token()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddSignalFlowFeeds(Configuration(
            ("SignalFlow:Feeds:Oanda:AccountId", "101-004-1-001"), ("SignalFlow:Feeds:Oanda:Token", Token),
            ("SignalFlow:Feeds:Oanda:Environment", "sandbox"), ("SignalFlow:Feeds:Oanda:Timeframes:0", "H5"),
            ("SignalFlow:Feeds:Oanda:AlignmentTimezone", "Nowhere/Special"))));

        Assert.Contains("sandbox", error.Message);
        Assert.Contains("H5", error.Message);
        Assert.Contains("Nowhere/Special", error.Message);
        Assert.DoesNotContain(Token, error.Message);
    }

    [Fact]
    public void Redacts_the_token_and_resolves_the_hosts_of_each_environment()
    {
        var options = new OandaFeedOptions { AccountId = "101-004-1-001", Token = Token };

        Assert.DoesNotContain(Token, options.ToString());
        Assert.Equal(new Uri("https://api-fxpractice.oanda.com"), options.RestBaseUri);
        Assert.Equal(new Uri("https://stream-fxpractice.oanda.com"), options.StreamBaseUri);
        options.Environment = "live";
        Assert.Equal(new Uri("https://api-fxtrade.oanda.com"), options.RestBaseUri);
        Assert.Equal(new Uri("https://stream-fxtrade.oanda.com"), options.StreamBaseUri);
        options.StreamUrl = "http://127.0.0.1:5000";
        Assert.Equal(new Uri("http://127.0.0.1:5000"), options.StreamBaseUri);
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void Streams_the_strategies_series_unless_told_otherwise_and_warms_up_with_the_history_its_strategy_grain_reads()
    {
        var eurUsd = Instrument.Parse("EUR_USD");
        var catalog = new StrategyCatalog([
            TestStrategies.MaCrossover("fast", eurUsd, Timeframe.H4, 5, 20, 14, 1.5, 3, 0, 0),
            TestStrategies.MaCrossover("slow", eurUsd, Timeframe.H4, 50, 200, 14, 1.5, 3, 0, 0),
            TestStrategies.MaCrossover("daily", Instrument.Parse("GBP_JPY"), Timeframe.D, 5, 20, 14, 1.5, 3, 0, 0)]);

        var plan = OandaFeedPlan.Create(new OandaFeedOptions(), catalog);
        var configured = OandaFeedPlan.Create(new OandaFeedOptions { Instruments = ["AUD_USD"], Timeframes = ["M15"] }, catalog);

        Assert.Equal(["EUR_USD", "GBP_JPY"], plan.Instruments.Select(i => i.Name));
        Assert.Equal([Timeframe.H4, Timeframe.D], plan.Timeframes);
        // The market context's 660 candles (ADX's 40 periods of 14 and 100 ATR values for the percentile) exceed the slow MA's 202.
        Assert.Equal(660, plan.WarmUpFor(new SeriesKey(eurUsd, Timeframe.H4)));
        // An EMA of 200 wants 40 periods (8,000 candles) for its seed to fade; OANDA gives at most 5,000 per request.
        Assert.Equal(5000, OandaFeedPlan.Create(new OandaFeedOptions(), new StrategyCatalog([TestStrategies.Of("ema", "ema_crossover", eurUsd,
            Timeframe.H4, 14, 1.5, 3, 0, 0, (EmaCrossover.FastKey, 50), (EmaCrossover.SlowKey, 200), (EmaCrossover.TrendKey, 0))])).WarmUpFor(new SeriesKey(eurUsd, Timeframe.H4)));
        Assert.Equal(0, plan.WarmUpFor(new SeriesKey(eurUsd, Timeframe.D)));
        Assert.Equal(["AUD_USD"], configured.Instruments.Select(i => i.Name));
        Assert.Equal([Timeframe.M15], configured.Timeframes);
        Assert.Throws<InvalidOperationException>(() => OandaFeedPlan.Create(new OandaFeedOptions(), new StrategyCatalog([])));
        Assert.Contains("BackfillSettleDelay", Assert.Throws<InvalidOperationException>(() => OandaFeedPlan.Create(new OandaFeedOptions { Timeframes = ["S5"] }, catalog)).Message);
    }
}
