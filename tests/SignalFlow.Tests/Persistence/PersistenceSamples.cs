using SignalFlow.Domain;
using SignalFlow.Ingestion;
using SignalFlow.Strategies;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Persistence;

/// <summary>Representative values of every persisted type, with awkward corners (nulls, NaN, empty collections).</summary>
internal static class PersistenceSamples
{
    public static readonly DateTime CandleTime = new(2024, 3, 8, 22, 0, 0, DateTimeKind.Utc);

    public static Signal Signal(string pair = "EUR_USD", string timeframe = "H4", DateTime? time = null, SignalDirection direction = SignalDirection.Buy,
        string strategy = "ma_crossover_EUR_USD_H4", double? confidence = 0.75)
    {
        var instrument = Instrument.Parse(pair);
        var tf = Timeframe.Parse(timeframe);
        var at = time ?? CandleTime;
        return new Signal(Domain.Signal.CreateId(strategy, instrument, tf, at, direction), strategy, instrument, tf, at, direction,
            Close: 1.09123, SlowMa: 1.08765, FastMa: 1.08999, StopLoss: 1.08523, TakeProfit: 1.10323,
            SlPips: 60.0, TpPips: 120.0, Atr: 0.0024, RiskRewardRatio: 2.0,
            CreatedAt: new DateTime(2024, 3, 9, 2, 0, 0, 123, DateTimeKind.Utc), Confidence: confidence,
            Kind: StrategyKinds.LegacyKind, Indicators: NamedValues.Of(("fast_ma", 1.08999), ("slow_ma", 1.08765)));
    }

    public static Candle Candle(DateTime time, string series = "EUR_USD_H4", double close = 1.0912) =>
        new(SeriesKey.Parse(series).Instrument, SeriesKey.Parse(series).Timeframe, time, close - 0.001, close + 0.002, close - 0.003, close, 1234);

    public static StrategySeriesState StrategyState() => new()
    {
        LastCandleTime = CandleTime,
        CandlesProcessed = 4321,
        StaleCandlesIgnored = 3,
        LegacyStrategies =
        {
            ["ma_crossover_EUR_USD_H4"] = new MovingAverageCrossoverState
            {
                IndicatorShape = "fast=10,slow=50,atr=14",
                Closes = [1.0912, 1.0915, 1.09, 0.1 + 0.2, double.Epsilon, 1e-300],
                TrueRanges = [0.0012, 0.0021],
                PreviousClose = 1.0915,
                PreviousFast = null,
                PreviousSlow = 1.0888,
                CandlesSeen = 51,
                SignalsEmitted = 2,
            },
            ["fresh"] = new MovingAverageCrossoverState(),
        },
        StrategyStates =
        {
            ["EUR_USD_H4"] = RunStrategy(SampleData.LegacyStrategies.Single(s => s.Id == "EUR_USD_H4"), candles: 300).Snapshot(),
            ["barely-started"] = RunStrategy(SampleData.LegacyStrategies.Single(s => s.Id == "EUR_USD_H4"), candles: 3).Snapshot(),
        },
    };

    /// <summary>A strategy of the kind <paramref name="settings"/> name after the first <paramref name="candles"/> sample candles of its series.</summary>
    public static Strategy RunStrategy(StrategySettings settings, int candles)
    {
        var strategy = StrategyKinds.Default.Create(settings, TimeProvider.System);
        foreach (var candle in SampleData.Candles(settings.Series).Take(candles))
        {
            strategy.Update(candle);
        }

        return strategy;
    }

    public static CandleIngestionState IngestionState() => new()
    {
        Series =
        {
            ["H4"] = new SeriesIngestionCounters { LastPublishedCandleTime = CandleTime, Published = 10, Duplicates = 1, OutOfOrder = 2, Invalid = 3 },
            ["D"] = new SeriesIngestionCounters(),
        },
    };
}
