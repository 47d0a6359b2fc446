using SignalFlow.Domain;
using SignalFlow.Indicators;
using SignalFlow.Strategies;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Strategies;

public class StrategySettingsLoaderTests
{
    [Fact]
    public void The_sixteen_legacy_entries_load_as_they_are_with_warnings_for_the_odd_ones()
    {
        var loaded = StrategySettingsLoader.LoadFile(SampleData.StrategiesPath);

        Assert.Equal(16, loaded.Strategies.Count);
        var eurUsd = loaded.Strategies.Single(s => s.Id == "EUR_USD_H4");
        Assert.Equal((40, 140, 14, 2.0, 3.0, 0.0002, 1.5),
            (eurUsd.Int("fast_ma"), eurUsd.Int("slow_ma"), eurUsd.AtrPeriod, eurUsd.SlAtrMultiplier, eurUsd.TpAtrMultiplier, eurUsd.MinAtrValue, eurUsd.MinRiskRewardRatio));
        Assert.Equal("ma_crossover", eurUsd.Kind);
        Assert.Equal(AtrSmoothing.Simple, eurUsd.AtrSmoothing);
        Assert.Null(eurUsd.MaxBarsHeld);
        Assert.Equal(2, loaded.Warnings.Count);
        Assert.Contains(loaded.Warnings, w => w.Contains("USD_CAD_H4") && w.Contains("fast_ma (80) is longer than slow_ma (50)"));
        Assert.Contains(loaded.Warnings, w => w.Contains("AUD_USD_H4") && w.Contains("can never emit a signal"));
    }

    [Theory]
    [InlineData("""[{"id":"x","instrument":"EUR/USD","timeframe":"H4","fast_ma":1,"slow_ma":2,"atr_period":3,"sl_atr_multiplier":1,"tp_atr_multiplier":2,"min_atr_value":0,"min_rr_ratio":1}]""", "not in OANDA form")]
    [InlineData("""[{"id":"x","instrument":"EUR_USD","timeframe":"H5","fast_ma":1,"slow_ma":2,"atr_period":3,"sl_atr_multiplier":1,"tp_atr_multiplier":2,"min_atr_value":0,"min_rr_ratio":1}]""", "not a supported OANDA granularity")]
    [InlineData("""[{"id":"x","instrument":"EUR_USD","timeframe":"H4","fast_ma":0,"slow_ma":2,"atr_period":3,"sl_atr_multiplier":1,"tp_atr_multiplier":2,"min_atr_value":0,"min_rr_ratio":1}]""", "entry 0 ('x'): 'fast_ma' must be from 1 to")]
    [InlineData("""[{"id":"x","instrument":"EUR_USD","timeframe":"H4","fast_ma":1,"slow_ma":2,"atr_period":3,"tp_atr_multiplier":2,"min_atr_value":0,"min_rr_ratio":1}]""", "entry 0 ('x'): missing 'sl_atr_multiplier'")]
    [InlineData("""[{"id":"x","kind":"ma_crossunder","instrument":"EUR_USD","timeframe":"H4","atr_period":3,"sl_atr_multiplier":1,"tp_atr_multiplier":2,"min_atr_value":0,"min_rr_ratio":1}]""", "entry 0 ('x'): 'kind': unknown strategy kind 'ma_crossunder' (known: ma_crossover")]
    [InlineData("""[{"id":"x","instrument":"EUR_USD","timeframe":"H4","fast_ma":2.5,"slow_ma":4,"atr_period":3,"sl_atr_multiplier":1,"tp_atr_multiplier":2,"min_atr_value":0,"min_rr_ratio":1}]""", "entry 0 ('x'): 'fast_ma' must be a whole number (got 2.5)")]
    [InlineData("""[{"id":"x","instrument":"EUR_USD","timeframe":"H4","fast_ma":2,"slow_ma":"4","atr_period":3,"sl_atr_multiplier":1,"tp_atr_multiplier":2,"min_atr_value":0,"min_rr_ratio":1}]""", "entry 0 ('x'): 'slow_ma' must be a number (got \"4\")")]
    [InlineData("""[{"id":"x","instrument":"EUR_USD","timeframe":"H4","fast_ma":2,"slow_ma":4,"atr_period":3,"atr_smoothing":"ema","sl_atr_multiplier":1,"tp_atr_multiplier":2,"min_atr_value":0,"min_rr_ratio":1}]""", "entry 0 ('x'): 'atr_smoothing' must be 'simple' or 'wilder' (got 'ema')")]
    [InlineData("""[{"id":"x","instrument":"EUR_USD","timeframe":"H4","fast_ma":1,"slow_ma":2,"atr_period":3,"sl_atr_multiplier":1,"tp_atr_multiplier":2,"min_atr_value":0,"min_rr_ratio":1},{"id":"x","instrument":"EUR_USD","timeframe":"D","fast_ma":1,"slow_ma":2,"atr_period":3,"sl_atr_multiplier":1,"tp_atr_multiplier":2,"min_atr_value":0,"min_rr_ratio":1}]""", "id 'x' is used by an earlier entry")]
    [InlineData("""{"id":"x"}""", "not a JSON array")]
    public void Unusable_entries_are_errors_that_say_what_is_wrong(string json, string expected)
    {
        var error = Assert.Throws<StrategyConfigurationException>(() => StrategySettingsLoader.Parse(json, "test.json"));
        Assert.Contains(expected, error.Message);
        Assert.Contains("test.json", error.Message);
    }

    [Fact]
    public void Optional_common_keys_are_read_and_unknown_keys_are_reported()
    {
        var loaded = StrategySettingsLoader.Parse("""
            [{"id":"x","kind":"ma_crossover","instrument":"EUR_USD","timeframe":"H4","fast_ma":2,"slow_ma":4,"atr_period":3,
              "atr_smoothing":"wilder","max_bars_held":12,"sl_atr_multiplier":1,"tp_atr_multiplier":2,"min_atr_value":0,"min_rr_ratio":1,"rsi_period":14}]
            """, "test.json");

        var strategy = Assert.Single(loaded.Strategies);
        Assert.Equal((AtrSmoothing.Wilder, 12), (strategy.AtrSmoothing, strategy.MaxBarsHeld));
        Assert.Equal(NamedValues.Of(("fast_ma", 2), ("slow_ma", 4)), strategy.Parameters);
        Assert.Equal("entry 0 ('x'): key 'rsi_period' is not read by kind 'ma_crossover' and is ignored.", Assert.Single(loaded.Warnings));
    }

    [Fact]
    public void A_missing_file_is_a_clear_error()
    {
        var error = Assert.Throws<StrategyConfigurationException>(() => StrategySettingsLoader.LoadFile("/nonexistent/strategies.json"));
        Assert.Contains("does not exist", error.Message);
    }
}
