using System.Text.Json;
using System.Text.Json.Serialization;
using SignalFlow.Domain;
using SignalFlow.Strategies;
using SignalFlow.Tests.Support;
using static SignalFlow.Tests.Strategies.KindTestKit;

namespace SignalFlow.Tests.Strategies;

/// <summary>
/// Every kind other than the legacy one (which has its own batch tests) on every bundled series, with both ATR
/// smoothings and a <c>min_atr_value</c> that holds some signals back: the streaming strategy equals the batch
/// computation, warms up exactly, and resumes from a snapshot bit for bit.
/// </summary>
public class StrategyKindsOnBundledSeriesTests
{
    private static readonly JsonSerializerOptions StateJson = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var series in SampleData.Series)
        {
            for (var i = 0; i < BundledConfigurations.Length; i++)
            {
                data.Add(series.ToString(), i);
            }
        }

        return data;
    }

    private static (IReadOnlyList<Candle> Candles, StrategySettings Settings) Case(string series, int configuration) =>
        (SampleData.Candles(SeriesKey.Parse(series)), OnSeries(SeriesKey.Parse(series), configuration));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Streaming_equals_the_batch_computation(string series, int configuration)
    {
        var (candles, unfiltered) = Case(series, configuration);
        var expected = BatchKinds.Compute(candles, unfiltered);
        Assert.True(expected.Count >= 2, $"{unfiltered.Kind} emits {expected.Count} signal(s) on {series}: the comparison would be vacuous");
        BatchKinds.AssertEquivalent(expected, Run(Create(unfiltered), candles));

        // A minimum ATR between the signals' ATRs (rounded, so that no ATR sits on it) holds some of them back.
        var atrs = expected.Select(e => e.Atr).Order().ToList();
        var minAtr = double.Parse(atrs[atrs.Count / 2].ToString("G3", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);
        var filtered = unfiltered with { MinAtrValue = minAtr };
        var kept = BatchKinds.Compute(candles, filtered);
        Assert.InRange(kept.Count, 1, expected.Count - 1);
        BatchKinds.AssertEquivalent(kept, Run(Create(filtered), candles));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Warm_up_is_the_first_candle_the_rule_can_fire_on(string series, int configuration)
    {
        // ATR(1) exists from the first candle, so the warm-up is the rule's own.
        var (candles, settings) = Case(series, configuration);
        settings = settings with { AtrPeriod = 1 };
        var firstPossible = BatchKinds.Rule(candles, settings).FirstPossible;
        var strategy = Create(settings);

        Assert.Equal(firstPossible + 1, strategy.WarmUpCandles);
        for (var t = 0; t < firstPossible; t++)
        {
            Assert.False(strategy.IsReady, $"ready before candle {t}, but its rule cannot fire before candle {firstPossible}");
            strategy.Update(candles[t]);
        }

        Assert.True(strategy.IsReady);
        Assert.True(strategy.HistoryCandles > strategy.WarmUpCandles);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_snapshot_restored_mid_series_through_json_continues_bit_for_bit(string series, int configuration)
    {
        var (candles, settings) = Case(series, configuration);
        var uninterrupted = Run(Create(settings), candles);

        foreach (var cut in new[] { 3, Create(settings).WarmUpCandles - 1, candles.Count / 2 })
        {
            var first = Create(settings);
            var resumed = Run(first, candles.Take(cut));
            var saved = JsonSerializer.Deserialize<StrategyState>(JsonSerializer.Serialize(first.Snapshot(), StateJson), StateJson)!;
            var restored = Create(settings);
            Assert.True(restored.TryRestore(saved, out var problem), problem);
            resumed.AddRange(Run(restored, candles.Skip(cut)));

            Assert.Equal(uninterrupted, resumed);
            Assert.Equal(candles.Count, restored.CandlesSeen);
            Assert.Equal(uninterrupted.Count, restored.SignalsEmitted);
        }
    }

    [Fact]
    public void A_snapshot_of_other_parameters_or_another_kind_is_not_restored()
    {
        var (candles, settings) = Case("EUR_USD_H4", 1);
        var strategy = Create(settings);
        Run(strategy, candles.Take(300));
        var snapshot = strategy.Snapshot();

        Assert.False(Create(settings with { Parameters = NamedValues.Of(("fast_ema", 9), ("slow_ema", 21), ("trend_ema", 0)) })
            .TryRestore(snapshot, out var problem));
        Assert.Contains("trend_ema", problem);
        Assert.False(Create(Case("EUR_USD_H4", 4).Settings).TryRestore(snapshot, out _));
    }

    [Fact]
    public void Every_kind_is_in_the_registry()
    {
        Assert.Equal(["donchian_breakout", "ema_crossover", "ma_crossover", "macd_cross", "rsi_reversion"], StrategyKinds.Default.Names);
    }
}
