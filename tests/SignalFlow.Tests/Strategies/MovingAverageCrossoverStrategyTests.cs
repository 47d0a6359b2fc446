using Microsoft.Extensions.Time.Testing;
using SignalFlow.Domain;
using SignalFlow.Strategies;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Strategies;

public class MovingAverageCrossoverStrategyTests
{
    private static readonly DateTime Start = new(2024, 1, 8, 0, 0, 0, DateTimeKind.Utc);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    private static StrategySettings Settings(string instrument = "EUR_USD", double minAtr = 0, double minRr = 1.5) =>
        TestStrategies.MaCrossover("test", Instrument.Parse(instrument), Timeframe.H4, fast: 2, slow: 3, atr: 2,
            sl: 1.5, tp: 3.0, minAtr: minAtr, minRr: minRr);

    /// <summary>Candles with high = close + 0.5 and low = close - 0.5.</summary>
    private static List<Candle> Candles(string instrument, params double[] closes) =>
        closes.Select((c, i) => SampleData.Candle(Start.AddHours(4 * i), c, c + 0.5, c - 0.5, c, instrument)).ToList();

    private static List<Signal> Run(MovingAverageCrossover strategy, IEnumerable<Candle> candles) =>
        candles.Select(strategy.Update).OfType<Signal>().ToList();

    [Fact]
    public void Emits_a_buy_with_atr_stop_and_target_computed_by_hand()
    {
        // fast(2): -, 2.5, 1.5, 1.5, 3.0   slow(3): -, -, 2.0, 1.667, 2.333 -> fast crosses above slow on the 5th candle.
        // TR: 1.0 (first: high-low), 1.5, 1.5, 1.5, 2.5 -> ATR(2) on the 5th candle = 2.0.
        var strategy = new MovingAverageCrossover(Settings(), _time);
        var signals = Run(strategy, Candles("EUR_USD", 3, 2, 1, 2, 4));

        var signal = Assert.Single(signals);
        Assert.Equal(SignalDirection.Buy, signal.Direction);
        Assert.Equal(Start.AddHours(16), signal.Time);
        Assert.Equal(4.0, signal.Close);
        Assert.Equal(3.0, signal.FastMa!.Value, 12);
        Assert.Equal(7.0 / 3.0, signal.SlowMa!.Value, 12);
        Assert.Equal(NamedValues.Of(("fast_ma", signal.FastMa.Value), ("slow_ma", signal.SlowMa.Value)), signal.Indicators);
        Assert.Equal("ma_crossover", signal.Kind);
        Assert.Equal(2.0, signal.Atr, 12);
        Assert.Equal(4.0 - 2.0 * 1.5, signal.StopLoss, 12);
        Assert.Equal(4.0 + 2.0 * 3.0, signal.TakeProfit, 12);
        Assert.Equal(3.0 * 10000, signal.SlPips, 6);
        Assert.Equal(6.0 * 10000, signal.TpPips, 6);
        Assert.Equal(2.0, signal.RiskRewardRatio, 12);
        Assert.Equal(_time.GetUtcNow().UtcDateTime, signal.CreatedAt);
        Assert.Equal("test:EUR_USD:H4:20240108T160000Z:BUY", signal.Id);
        Assert.Equal(4, strategy.WarmUpCandles);
    }

    [Fact]
    public void Emits_a_mirrored_sell_and_uses_the_jpy_pip_factor()
    {
        // Mirror image of the buy case: fast(2) falls below slow(3) on the 5th candle; ATR(2) = 2.0 again.
        var strategy = new MovingAverageCrossover(Settings("USD_JPY"), _time);
        var signal = Assert.Single(Run(strategy, Candles("USD_JPY", 7, 8, 9, 8, 6)));

        Assert.Equal(SignalDirection.Sell, signal.Direction);
        Assert.Equal(6.0 + 2.0 * 1.5, signal.StopLoss, 12);
        Assert.Equal(6.0 - 2.0 * 3.0, signal.TakeProfit, 12);
        Assert.Equal(300.0, signal.SlPips, 9);
        Assert.Equal(600.0, signal.TpPips, 9);
    }

    [Fact]
    public void A_crossing_below_the_minimum_atr_is_not_a_signal()
    {
        var strategy = new MovingAverageCrossover(Settings(minAtr: 2.0000001), _time);
        Assert.Empty(Run(strategy, Candles("EUR_USD", 3, 2, 1, 2, 4)));
    }

    [Fact]
    public void A_risk_reward_below_the_minimum_is_never_a_signal()
    {
        var strategy = new MovingAverageCrossover(Settings(minRr: 2.5), _time);
        Assert.Empty(Run(strategy, Candles("EUR_USD", 3, 2, 1, 2, 4)));
    }

    [Fact]
    public void Nothing_is_emitted_before_warm_up_even_if_averages_cross()
    {
        // With slow = 3 the 4th candle is the first with two consecutive slow values; a cross at the 3rd is unseen.
        var strategy = new MovingAverageCrossover(Settings(), _time);
        var candles = Candles("EUR_USD", 1, 1, 5);
        Assert.Empty(Run(strategy, candles.Take(2)));
        Assert.False(strategy.IsReady);

        Assert.Null(strategy.Update(candles[2]));
        Assert.True(strategy.IsReady, "the next candle can signal");
    }

    [Fact]
    public void A_restored_snapshot_continues_exactly_like_the_uninterrupted_strategy()
    {
        var candles = SampleData.Candles(SeriesKey.Parse("EUR_USD_H4"));
        var settings = SampleData.LegacyStrategies.Single(s => s.Id == "EUR_USD_H4");
        var uninterrupted = Run(new MovingAverageCrossover(settings, _time), candles);

        var first = new MovingAverageCrossover(settings, _time);
        var resumed = Run(first, candles.Take(1000));
        var restored = new MovingAverageCrossover(settings, _time);
        Assert.True(restored.TryRestore(first.Snapshot(), out var problem), problem);
        resumed.AddRange(Run(restored, candles.Skip(1000)));

        Assert.NotEmpty(uninterrupted);
        // Bit for bit: a failover must not shift a price or flip a crossover decided by the last ulp.
        Assert.Equal(uninterrupted, resumed);
        Assert.Equal(candles.Count, restored.CandlesSeen);
    }

    [Fact]
    public void A_snapshot_inconsistent_with_its_sample_count_is_not_restored()
    {
        var strategy = new MovingAverageCrossover(Settings(), _time);
        Run(strategy, Candles("EUR_USD", 3, 2, 1, 2));
        var snapshot = strategy.Snapshot();
        snapshot.Indicators[MovingAverageCrossover.SlowKey].Samples = 2;

        Assert.False(new MovingAverageCrossover(Settings(), _time).TryRestore(snapshot, out var problem));
        Assert.Contains("SMA(3)", problem);
    }

    [Fact]
    public void A_snapshot_of_other_window_lengths_is_not_restored()
    {
        var strategy = new MovingAverageCrossover(Settings(), _time);
        Run(strategy, Candles("EUR_USD", 3, 2, 1));
        var longer = TestStrategies.MaCrossover("test", Instrument.Parse("EUR_USD"), Timeframe.H4, fast: 2, slow: 5, atr: 2, sl: 1.5, tp: 3.0, minAtr: 0, minRr: 1.5);

        Assert.False(new MovingAverageCrossover(longer, _time).TryRestore(strategy.Snapshot(), out var problem));
        Assert.Contains("slow_ma=5", problem);
    }

    [Fact]
    public void Warm_up_moves_the_indicators_without_emitting_and_later_signals_match_the_uninterrupted_run()
    {
        var candles = SampleData.Candles(SeriesKey.Parse("GBP_JPY_H4"));
        var settings = SampleData.LegacyStrategies.Single(s => s.Id == "GBP_JPY_H4");
        var uninterrupted = Run(new MovingAverageCrossover(settings, _time), candles).Where(s => s.Time >= candles[500].Time);

        var warmed = new MovingAverageCrossover(settings, _time);
        foreach (var candle in candles.Take(500))
        {
            warmed.WarmUp(candle);
        }

        Assert.Equal(0, warmed.SignalsEmitted);
        Assert.True(warmed.IsReady);
        Assert.Equal(uninterrupted, Run(warmed, candles.Skip(500)));
    }
}
