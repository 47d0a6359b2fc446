using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Indicators;
using SignalFlow.Strategies;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Strategies;

/// <summary>One strategies-file entry read on its own (the API's bodies), written back, and the runtime set's change rules.</summary>
public sealed class StrategyEntryTests
{
    private const string Valid = """{"id":"e1","instrument":"EUR_USD","timeframe":"H4","fast_ma":5,"slow_ma":20,"atr_period":14,"sl_atr_multiplier":1.5,"tp_atr_multiplier":2.5,"min_atr_value":0,"min_rr_ratio":1}""";

    [Theory]
    [InlineData("""{"id":"e1","kind":"banana","instrument":"EUR_USD","timeframe":"H4"}""", "kind", "unknown strategy kind 'banana'")]
    [InlineData("""{"id":"e1","instrument":"EUR_USD","timeframe":"H4","fast_ma":5,"atr_period":14,"sl_atr_multiplier":1.5,"tp_atr_multiplier":2.5,"min_atr_value":0,"min_rr_ratio":1}""", "slow_ma", "missing 'slow_ma'")]
    [InlineData("""{"id":"e1","instrument":"EUR_USD","timeframe":"H4","fast_ma":"5","slow_ma":20,"atr_period":14,"sl_atr_multiplier":1.5,"tp_atr_multiplier":2.5,"min_atr_value":0,"min_rr_ratio":1}""", "fast_ma", "'fast_ma' must be a number")]
    [InlineData("""{"id":"e1","instrument":"EUR_USD","timeframe":"H4","fast_ma":5,"slow_ma":20,"atr_period":0,"sl_atr_multiplier":1.5,"tp_atr_multiplier":2.5,"min_atr_value":0,"min_rr_ratio":1}""", "atr_period", "'atr_period' must be from 1 to")]
    [InlineData("""{"id":"e1","kind":"macd_cross","instrument":"EUR_USD","timeframe":"H4","macd_fast":26,"macd_slow":12,"macd_signal":9,"atr_period":14,"sl_atr_multiplier":1.5,"tp_atr_multiplier":2.5,"min_atr_value":0,"min_rr_ratio":1}""", "macd_fast", "'macd_fast' (26) must be below 'macd_slow'")]
    [InlineData("""{"instrument":"EUR_USD","timeframe":"H4","fast_ma":5,"slow_ma":20,"atr_period":14,"sl_atr_multiplier":1.5,"tp_atr_multiplier":2.5,"min_atr_value":0,"min_rr_ratio":1}""", "id", "missing 'id'")]
    [InlineData("""[1]""", "", "Array instead of a strategy object")]
    [InlineData("""{"id":""", "", "not valid JSON")]
    public void An_unusable_entry_gives_errors_keyed_by_the_key_they_are_about(string json, string key, string message)
    {
        var result = StrategySettingsLoader.ParseEntry(json);

        Assert.Null(result.Settings);
        Assert.Contains(result.Errors, e => e.Key == key && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void An_entry_with_a_key_no_kind_reads_loads_with_a_warning()
    {
        var result = StrategySettingsLoader.ParseEntry(Valid.Replace("\"atr_period\"", "\"fast_emma\":3,\"atr_period\"", StringComparison.Ordinal));

        Assert.NotNull(result.Settings);
        Assert.Empty(result.Errors);
        Assert.Equal("key 'fast_emma' is not read by kind 'ma_crossover' and is ignored", Assert.Single(result.Warnings));
    }

    [Fact]
    public void Written_settings_read_back_equal_for_every_kind()
    {
        var strategies = PipelineCluster.Strategies.Append(TestStrategies.MaCrossover("held", Instrument.Parse("GBP_JPY"), Timeframe.D, 3, 9, 5, 1, 2, 0.01, 0.5) with
        {
            MaxBarsHeld = 12,
            AtrSmoothing = AtrSmoothing.Wilder,
        }).ToList();

        var file = StrategySettingsLoader.Parse(StrategySettingsJson.ToFile(strategies), "written");

        Assert.Equal(strategies, file.Strategies);
        Assert.Equal(strategies[^1], StrategySettingsLoader.ParseEntry(StrategySettingsJson.ToFile([strategies[^1]])[1..^1]).Settings);
    }

    [Fact]
    public void A_change_touches_only_the_series_whose_strategies_differ()
    {
        var eurUsd = new SeriesKey(Instrument.Parse("EUR_USD"), Timeframe.H4);
        var gbpUsd = new SeriesKey(Instrument.Parse("GBP_USD"), Timeframe.D);
        var a = TestStrategies.MaCrossover("a", eurUsd.Instrument, eurUsd.Timeframe, 5, 20, 14, 1.5, 2.5, 0, 0);
        var b = TestStrategies.MaCrossover("b", gbpUsd.Instrument, gbpUsd.Timeframe, 5, 20, 14, 1.5, 2.5, 0, 0);
        var current = new StrategyCatalog([a, b]);

        var created = StrategyRegistry.Create(current, a with { Id = "c" });
        Assert.Equal([eurUsd], created.ChangedSeries);
        Assert.Equal(["a", "b", "c"], created.Next!.All.Select(s => s.Id));
        Assert.Equal(StrategyChangeResult.AlreadyExists, StrategyRegistry.Create(current, a with { SlAtrMultiplier = 9 }).Result);

        var moved = StrategyRegistry.Replace(current, a with { Instrument = gbpUsd.Instrument, Timeframe = gbpUsd.Timeframe });
        Assert.Equal([eurUsd, gbpUsd], moved.ChangedSeries);
        Assert.Equal(a, moved.Previous);
        Assert.Empty(StrategyRegistry.Replace(current, a).ChangedSeries);
        Assert.Equal(StrategyChangeResult.NotFound, StrategyRegistry.Replace(current, a with { Id = "x" }).Result);

        var deleted = StrategyRegistry.Delete(current, "b");
        Assert.Equal([gbpUsd], deleted.ChangedSeries);
        Assert.Equal(["a"], deleted.Next!.All.Select(s => s.Id));
        Assert.Equal(StrategyChangeResult.NotFound, StrategyRegistry.Delete(current, "x").Result);
    }

    [Fact]
    public void The_file_and_the_runtime_set_are_compared_by_id_and_settings()
    {
        var eurUsd = Instrument.Parse("EUR_USD");
        var a = TestStrategies.MaCrossover("a", eurUsd, Timeframe.H4, 5, 20, 14, 1.5, 2.5, 0, 0);
        var b = a with { Id = "b" };
        var c = a with { Id = "c" };

        Assert.Null(StrategyRegistry.Differences(new StrategyCatalog([a, b]), new StrategyCatalog([a, b])));
        Assert.Equal("only in the file: b; only in the runtime set: c; configured differently: a",
            StrategyRegistry.Differences(new StrategyCatalog([a, b]), new StrategyCatalog([a with { TpAtrMultiplier = 4 }, c])));
        Assert.Equal(StrategyRegistry.Fingerprint([a, b]), StrategyRegistry.Fingerprint([a, b]));
        Assert.NotEqual(StrategyRegistry.Fingerprint([a, b]), StrategyRegistry.Fingerprint([a, b with { MinAtrValue = 0.1 }]));
    }
}
