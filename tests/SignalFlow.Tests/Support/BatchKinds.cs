using SignalFlow.Domain;
using SignalFlow.Indicators;

namespace SignalFlow.Tests.Support;

/// <summary>
/// The strategy kinds of docs/strategies.md recomputed over a whole series from <see cref="BatchIndicators"/> arrays,
/// independently of the production strategies: each rule is its formula at every candle t, then the common ATR stop,
/// target and filters.
/// </summary>
public static class BatchKinds
{
    public sealed record ExpectedSignal(DateTime Time, SignalDirection Direction, double Close, double? FastMa, double? SlowMa,
        double StopLoss, double TakeProfit, double SlPips, double TpPips, double Atr, double RiskReward, NamedValues Indicators);

    /// <summary>A kind's rule over a series: the side it fires on at each t, and the values it reports at each t.</summary>
    public sealed record RuleSeries(SignalDirection?[] Sides, IReadOnlyList<(string Name, double[] Values)> Reported, (double[] Fast, double[] Slow)? Averages)
    {
        /// <summary>The first t at which every value the rule reads exists (on t and, where it looks back, on t − 1).</summary>
        public int FirstPossible { get; init; }
    }

    public static RuleSeries Rule(IReadOnlyList<Candle> candles, StrategySettings s)
    {
        var close = BatchIndicators.Closes(candles);
        var n = candles.Count;
        var sides = new SignalDirection?[n];
        switch (s.Kind)
        {
            case "ema_crossover":
            {
                var fast = BatchIndicators.Ema(close, s.Int("fast_ema"));
                var slow = BatchIndicators.Ema(close, s.Int("slow_ema"));
                var trendPeriod = s.Int("trend_ema");
                var trend = trendPeriod > 0 ? BatchIndicators.Ema(close, trendPeriod) : null;
                for (var t = 1; t < n; t++)
                {
                    var buy = fast[t] > slow[t] && fast[t - 1] <= slow[t - 1] && (trend is null || close[t] > trend[t]);
                    var sell = fast[t] < slow[t] && fast[t - 1] >= slow[t - 1] && (trend is null || close[t] < trend[t]);
                    sides[t] = Side(buy, sell);
                }

                var reported = new List<(string, double[])> { ("fast_ema", fast), ("slow_ema", slow) };
                if (trend is not null)
                {
                    reported.Add(("trend_ema", trend));
                }

                return new RuleSeries(sides, reported, (fast, slow))
                {
                    FirstPossible = First(n, t => Exist(t, fast, slow) && Exist(t - 1, fast, slow) && (trend is null || Exist(t, trend))),
                };
            }

            case "rsi_reversion":
            {
                var rsi = BatchIndicators.Rsi(close, s.Int("rsi_period"));
                var oversold = s.Number("oversold");
                var overbought = s.Number("overbought");
                for (var t = 1; t < n; t++)
                {
                    sides[t] = Side(rsi[t - 1] < oversold && rsi[t] >= oversold, rsi[t - 1] > overbought && rsi[t] <= overbought);
                }

                return new RuleSeries(sides, [("rsi", rsi)], null) { FirstPossible = First(n, t => Exist(t, rsi) && Exist(t - 1, rsi)) };
            }

            case "donchian_breakout":
            {
                var (high, low) = BatchIndicators.Donchian(candles, s.Int("channel_period"));
                for (var t = 1; t < n; t++)
                {
                    sides[t] = Side(close[t] > high[t] && close[t - 1] <= high[t - 1], close[t] < low[t] && close[t - 1] >= low[t - 1]);
                }

                return new RuleSeries(sides, [("channel_high", high), ("channel_low", low)], null)
                {
                    FirstPossible = First(n, t => Exist(t, high, low) && Exist(t - 1, high, low)),
                };
            }

            case "macd_cross":
            {
                var (macd, signal, histogram) = BatchIndicators.Macd(close, s.Int("macd_fast"), s.Int("macd_slow"), s.Int("macd_signal"));
                for (var t = 1; t < n; t++)
                {
                    sides[t] = Side(macd[t] > signal[t] && macd[t - 1] <= signal[t - 1], macd[t] < signal[t] && macd[t - 1] >= signal[t - 1]);
                }

                return new RuleSeries(sides, [("macd", macd), ("macd_signal", signal), ("macd_histogram", histogram)], null)
                {
                    FirstPossible = First(n, t => Exist(t, macd, signal) && Exist(t - 1, macd, signal)),
                };
            }

            default:
                throw new ArgumentException($"No batch computation for kind '{s.Kind}'.", nameof(s));
        }
    }

    /// <summary>The signals of a strategy over a whole series: its rule, then ATR at t, stop, target, filters and pips.</summary>
    public static List<ExpectedSignal> Compute(IReadOnlyList<Candle> candles, StrategySettings s)
    {
        var rule = Rule(candles, s);
        var atr = s.AtrSmoothing == AtrSmoothing.Wilder ? BatchIndicators.AtrWilder(candles, s.AtrPeriod) : BatchIndicators.AtrSimple(candles, s.AtrPeriod);
        var rr = s.TpAtrMultiplier / s.SlAtrMultiplier;
        var pips = s.Instrument.Name.EndsWith("_JPY", StringComparison.Ordinal) ? 100.0 : 10000.0;
        var result = new List<ExpectedSignal>();
        for (var t = 0; t < candles.Count; t++)
        {
            if (rule.Sides[t] is not { } side || !(atr[t] >= s.MinAtrValue) || !(rr >= s.MinRiskRewardRatio))
            {
                continue;
            }

            var close = candles[t].Close;
            var buy = side == SignalDirection.Buy;
            var stop = buy ? close - (atr[t] * s.SlAtrMultiplier) : close + (atr[t] * s.SlAtrMultiplier);
            var target = buy ? close + (atr[t] * s.TpAtrMultiplier) : close - (atr[t] * s.TpAtrMultiplier);
            result.Add(new ExpectedSignal(candles[t].Time, side, close, rule.Averages?.Fast[t], rule.Averages?.Slow[t], stop, target,
                Math.Abs(close - stop) * pips, Math.Abs(close - target) * pips, atr[t], rr,
                NamedValues.From(rule.Reported.Select(r => (r.Name, r.Values[t])))));
        }

        return result;
    }

    /// <summary>
    /// Same signals in the same order; the rule's values bit for bit (they are computed from the same formulas); values
    /// that depend on ATR within <paramref name="tolerance"/> (the simple ATR's running sum differs from a fresh sum by
    /// rounding).
    /// </summary>
    public static void AssertEquivalent(IReadOnlyList<ExpectedSignal> expected, IReadOnlyList<Signal> actual, double tolerance = 1e-12)
    {
        Assert.Equal(expected.Select(e => (e.Time, e.Direction)), actual.Select(a => (a.Time, a.Direction)));
        foreach (var (e, a) in expected.Zip(actual))
        {
            Assert.Equal(e.Close, a.Close);
            Assert.Equal(e.FastMa, a.FastMa);
            Assert.Equal(e.SlowMa, a.SlowMa);
            Assert.Equal(e.Indicators, a.Indicators);
            Assert.Equal(e.RiskReward, a.RiskRewardRatio);
            foreach (var (name, want, got) in new[]
            {
                ("atr", e.Atr, a.Atr), ("stop_loss", e.StopLoss, a.StopLoss), ("take_profit", e.TakeProfit, a.TakeProfit),
                ("sl_pips", e.SlPips, a.SlPips), ("tp_pips", e.TpPips, a.TpPips),
            })
            {
                Assert.True(Math.Abs(want - got) <= tolerance * Math.Max(1, Math.Abs(want)), $"{a.Id} {name}: expected {want:R}, got {got:R}");
            }
        }
    }

    private static SignalDirection? Side(bool buy, bool sell) => buy ? SignalDirection.Buy : sell ? SignalDirection.Sell : null;

    private static bool Exist(int t, params double[][] series) => t >= 0 && series.All(s => !double.IsNaN(s[t]));

    private static int First(int n, Func<int, bool> possible) => Enumerable.Range(0, n).First(possible);
}
