using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using SignalFlow.Domain;
using SignalFlow.Strategies;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Strategies;

/// <summary>Small hand-made series and strategies of any kind, built as a strategies file entry would build them.</summary>
internal static class KindTestKit
{
    public static readonly DateTime Start = new(2024, 1, 8, 0, 0, 0, DateTimeKind.Utc);

    public static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    /// <summary>
    /// One entry of <paramref name="kind"/> with its own keys as a JSON fragment; by default ATR(1), so ATR is the
    /// candle's true range, stop 1 ATR, target 2 ATR, and no filter.
    /// </summary>
    public static StrategySettings Settings(string kind, string parameters, int atrPeriod = 1, string atrSmoothing = "simple",
        double sl = 1, double tp = 2, double minAtr = 0, double minRr = 0, string instrument = "EUR_USD", string timeframe = "H4", string id = "test") =>
        StrategySettingsLoader.Parse(string.Create(CultureInfo.InvariantCulture,
            $$"""
            [{"id":"{{id}}","kind":"{{kind}}","instrument":"{{instrument}}","timeframe":"{{timeframe}}",{{parameters}},
              "atr_period":{{atrPeriod}},"atr_smoothing":"{{atrSmoothing}}","sl_atr_multiplier":{{sl}},"tp_atr_multiplier":{{tp}},
              "min_atr_value":{{minAtr}},"min_rr_ratio":{{minRr}}}]
            """), "test.json").Strategies.Single();

    public static Strategy Create(StrategySettings settings) => StrategyKinds.Default.Create(settings, Time);

    /// <summary>Candles four hours apart with high = close + 0.5 and low = close − 0.5.</summary>
    public static List<Candle> FromCloses(params double[] closes) =>
        closes.Select((c, i) => SampleData.Candle(Start.AddHours(4 * i), c, c + 0.5, c - 0.5, c)).ToList();

    public static List<Candle> FromRanges(params (double High, double Low, double Close)[] candles) =>
        candles.Select((c, i) => SampleData.Candle(Start.AddHours(4 * i), c.Close, c.High, c.Low, c.Close)).ToList();

    public static List<Signal> Run(Strategy strategy, IEnumerable<Candle> candles) => candles.Select(strategy.Update).OfType<Signal>().ToList();

    /// <summary>The signals as (candle index, side), the form the hand computations are written in.</summary>
    public static List<(int Index, SignalDirection Direction)> Sides(StrategySettings settings, IReadOnlyList<Candle> candles) =>
        Run(Create(settings), candles).Select(s => ((int)((s.Time - Start).TotalHours / 4), s.Direction)).ToList();

    /// <summary>Configurations of every kind but the legacy one, with both ATR smoothings, that signal on every bundled series.</summary>
    public static readonly (string Kind, string Parameters, string AtrSmoothing)[] BundledConfigurations =
    [
        ("ema_crossover", "\"fast_ema\":12,\"slow_ema\":26", "simple"),
        ("ema_crossover", "\"fast_ema\":9,\"slow_ema\":21,\"trend_ema\":100", "wilder"),
        ("rsi_reversion", "\"rsi_period\":14,\"oversold\":30,\"overbought\":70", "simple"),
        ("rsi_reversion", "\"rsi_period\":7,\"oversold\":25,\"overbought\":75", "wilder"),
        ("donchian_breakout", "\"channel_period\":20", "simple"),
        ("donchian_breakout", "\"channel_period\":55", "wilder"),
        ("macd_cross", "\"macd_fast\":12,\"macd_slow\":26,\"macd_signal\":9", "simple"),
        ("macd_cross", "\"macd_fast\":5,\"macd_slow\":35,\"macd_signal\":5", "wilder"),
    ];

    /// <summary>One of <see cref="BundledConfigurations"/> on a series: ATR(14), stop 1.5 ATR, target 3 ATR, min_rr_ratio 1.5.</summary>
    public static StrategySettings OnSeries(SeriesKey series, int configuration)
    {
        var (kind, parameters, smoothing) = BundledConfigurations[configuration];
        return Settings(kind, parameters, atrPeriod: 14, atrSmoothing: smoothing, sl: 1.5, tp: 3, minRr: 1.5,
            instrument: series.Instrument.ToString(), timeframe: series.Timeframe.ToString(), id: $"{series}_{kind}_{configuration}");
    }
}
