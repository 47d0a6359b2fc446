using System.Text.RegularExpressions;
using SignalFlow.Domain;
using SignalFlow.Strategies;
using SignalFlow.Tests.Cluster;

namespace SignalFlow.Tests.Strategies;

/// <summary>Strategies files with kinds other than the legacy one.</summary>
public class StrategyFileKindsTests
{
    private const string Common = "\"instrument\":\"EUR_USD\",\"timeframe\":\"H4\",\"atr_period\":14,\"sl_atr_multiplier\":1.5,\"tp_atr_multiplier\":3,\"min_atr_value\":0,\"min_rr_ratio\":1.5";

    private static string Entry(string id, string keys) => $"{{\"id\":\"{id}\",{Common},{keys}}}";

    [Fact]
    public void A_file_mixing_kinds_loads_each_entry_as_its_kind()
    {
        var json = "[" + string.Join(",",
            Entry("legacy", "\"fast_ma\":40,\"slow_ma\":140"),
            Entry("ema", "\"kind\":\"ema_crossover\",\"fast_ema\":12,\"slow_ema\":26,\"trend_ema\":200,\"atr_smoothing\":\"wilder\""),
            Entry("rsi", "\"kind\":\"rsi_reversion\",\"rsi_period\":14,\"oversold\":30,\"overbought\":70,\"max_bars_held\":20"),
            Entry("donchian", "\"kind\":\"donchian_breakout\",\"channel_period\":20"),
            Entry("macd", "\"kind\":\"macd_cross\",\"macd_fast\":12,\"macd_slow\":26,\"macd_signal\":9")) + "]";

        var loaded = StrategySettingsLoader.Parse(json, "mixed.json");

        Assert.Empty(loaded.Warnings);
        Assert.Equal(["ma_crossover", "ema_crossover", "rsi_reversion", "donchian_breakout", "macd_cross"], loaded.Strategies.Select(s => s.Kind));
        Assert.Equal(NamedValues.Of(("fast_ema", 12), ("slow_ema", 26), ("trend_ema", 200)), loaded.Strategies[1].Parameters);
        Assert.Equal(SignalFlow.Indicators.AtrSmoothing.Wilder, loaded.Strategies[1].AtrSmoothing);
        Assert.Equal(NamedValues.Of(("rsi_period", 14), ("oversold", 30), ("overbought", 70)), loaded.Strategies[2].Parameters);
        Assert.Equal(20, loaded.Strategies[2].MaxBarsHeld);
        Assert.Equal(NamedValues.Of(("channel_period", 20)), loaded.Strategies[3].Parameters);
        Assert.Equal(NamedValues.Of(("macd_fast", 12), ("macd_slow", 26), ("macd_signal", 9)), loaded.Strategies[4].Parameters);
        Assert.Equal([typeof(MovingAverageCrossover), typeof(EmaCrossover), typeof(RsiReversion), typeof(DonchianBreakout), typeof(MacdCross)],
            loaded.Strategies.Select(s => StrategyKinds.Default.Create(s, TimeProvider.System).GetType()));
    }

    [Fact]
    public void An_ema_crossover_without_trend_ema_has_no_trend_filter()
    {
        var loaded = StrategySettingsLoader.Parse($"[{Entry("ema", "\"kind\":\"ema_crossover\",\"fast_ema\":12,\"slow_ema\":26")}]", "ema.json");
        Assert.Equal(0, loaded.Strategies.Single().Int("trend_ema"));
    }

    [Fact]
    public void An_unknown_kind_is_an_error_naming_the_entry_and_the_kind()
    {
        var json = $"[{Entry("ok", "\"fast_ma\":1,\"slow_ma\":2")},{Entry("odd", "\"kind\":\"bollinger\",\"period\":20")}]";
        var error = Assert.Throws<StrategyConfigurationException>(() => StrategySettingsLoader.Parse(json, "kinds.json"));
        Assert.Contains("entry 1 ('odd'): 'kind': unknown strategy kind 'bollinger'", error.Message);
        Assert.Contains("kinds.json", error.Message);
    }

    [Theory]
    [InlineData("\"kind\":\"ema_crossover\",\"fast_ema\":12", "missing 'slow_ema'")]
    [InlineData("\"kind\":\"rsi_reversion\",\"oversold\":30,\"overbought\":70", "missing 'rsi_period'")]
    [InlineData("\"kind\":\"rsi_reversion\",\"rsi_period\":14,\"overbought\":70", "missing 'oversold'")]
    [InlineData("\"kind\":\"donchian_breakout\"", "missing 'channel_period'")]
    [InlineData("\"kind\":\"macd_cross\",\"macd_fast\":12,\"macd_slow\":26", "missing 'macd_signal'")]
    [InlineData("\"kind\":\"ema_crossover\",\"fast_ema\":0,\"slow_ema\":26", "'fast_ema' must be from 1 to 100000 (got 0)")]
    [InlineData("\"kind\":\"ema_crossover\",\"fast_ema\":12,\"slow_ema\":26,\"trend_ema\":-1", "'trend_ema' must be from 0 to 100000 (got -1)")]
    [InlineData("\"kind\":\"rsi_reversion\",\"rsi_period\":14.5,\"oversold\":30,\"overbought\":70", "'rsi_period' must be a whole number (got 14.5)")]
    [InlineData("\"kind\":\"rsi_reversion\",\"rsi_period\":14,\"oversold\":-5,\"overbought\":70", "'oversold' must be from 0 to 100 (got -5)")]
    [InlineData("\"kind\":\"rsi_reversion\",\"rsi_period\":14,\"oversold\":0,\"overbought\":70", "'oversold' must be above 0 (got 0)")]
    [InlineData("\"kind\":\"rsi_reversion\",\"rsi_period\":14,\"oversold\":30,\"overbought\":100", "'overbought' must be below 100 (got 100)")]
    [InlineData("\"kind\":\"rsi_reversion\",\"rsi_period\":14,\"oversold\":70,\"overbought\":30", "'oversold' (70) must be below 'overbought' (30)")]
    [InlineData("\"kind\":\"rsi_reversion\",\"rsi_period\":14,\"oversold\":50,\"overbought\":50", "'oversold' (50) must be below 'overbought' (50)")]
    [InlineData("\"kind\":\"donchian_breakout\",\"channel_period\":0", "'channel_period' must be from 1 to 100000 (got 0)")]
    [InlineData("\"kind\":\"macd_cross\",\"macd_fast\":26,\"macd_slow\":12,\"macd_signal\":9", "'macd_fast' (26) must be below 'macd_slow' (12)")]
    [InlineData("\"kind\":\"macd_cross\",\"macd_fast\":12,\"macd_slow\":12,\"macd_signal\":9", "'macd_fast' (12) must be below 'macd_slow' (12)")]
    public void A_missing_or_out_of_range_key_is_an_error_naming_the_entry_and_the_key(string keys, string expected)
    {
        var json = $"[{Entry("first", "\"fast_ma\":1,\"slow_ma\":2")},{Entry("broken", keys)}]";
        var error = Assert.Throws<StrategyConfigurationException>(() => StrategySettingsLoader.Parse(json, "kinds.json"));
        Assert.Contains($"entry 1 ('broken'): {expected}", error.Message);
    }

    [Fact]
    public void A_key_of_another_kind_is_a_warning_not_a_parameter()
    {
        var loaded = StrategySettingsLoader.Parse(
            $"[{Entry("rsi", "\"kind\":\"rsi_reversion\",\"rsi_period\":14,\"oversold\":30,\"overbought\":70,\"fast_ma\":5")}]", "rsi.json");
        Assert.Equal("entry 0 ('rsi'): key 'fast_ma' is not read by kind 'rsi_reversion' and is ignored.", Assert.Single(loaded.Warnings));
        Assert.False(loaded.Strategies.Single().Parameters.ContainsKey("fast_ma"));
    }

    [Fact]
    public void The_example_in_the_strategies_documentation_loads_without_warnings()
    {
        var page = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "strategies.md"));
        var example = Regex.Match(page, "```json\n(.*?)```", RegexOptions.Singleline).Groups[1].Value;

        var loaded = StrategySettingsLoader.Parse(example, "docs/strategies.md");

        Assert.Empty(loaded.Warnings);
        Assert.Equal(StrategyKinds.Default.Names.Order(), loaded.Strategies.Select(s => s.Kind).Order());
    }
}
