using SignalFlow.Domain;

namespace SignalFlow.Tests.Support;

/// <summary>
/// A straightforward batch computation of the legacy strategy over a whole series (docs/strategies.md, <c>ma_crossover</c>), written
/// independently of the production indicators: every average is recomputed from its window.
/// </summary>
public static class LegacyBatchStrategy
{
    public sealed record ExpectedSignal(DateTime Time, SignalDirection Direction, double Close, double SlowMa, double FastMa,
        double StopLoss, double TakeProfit, double SlPips, double TpPips, double Atr, double RiskReward);

    public static List<ExpectedSignal> Compute(IReadOnlyList<Candle> candles, StrategySettings s)
    {
        var n = candles.Count;
        var close = candles.Select(c => c.Close).ToArray();
        var trueRange = new double[n];
        for (var i = 0; i < n; i++)
        {
            var c = candles[i];
            trueRange[i] = i == 0
                ? c.High - c.Low
                : new[] { c.High - c.Low, Math.Abs(c.High - close[i - 1]), Math.Abs(c.Low - close[i - 1]) }.Max();
        }

        var fast = RollingMean(close, s.Int(SignalFlow.Strategies.MovingAverageCrossover.FastKey));
        var slow = RollingMean(close, s.Int(SignalFlow.Strategies.MovingAverageCrossover.SlowKey));
        var atr = RollingMean(trueRange, s.AtrPeriod);
        var rr = s.TpAtrMultiplier / s.SlAtrMultiplier;
        var pips = candles.Count > 0 && candles[0].Instrument.Name.EndsWith("_JPY", StringComparison.Ordinal) ? 100.0 : 10000.0;
        var result = new List<ExpectedSignal>();
        for (var i = 1; i < n; i++)
        {
            SignalDirection? direction = null;
            if (fast[i] > slow[i] && fast[i - 1] <= slow[i - 1])
            {
                direction = SignalDirection.Buy;
            }
            else if (fast[i] < slow[i] && fast[i - 1] >= slow[i - 1])
            {
                direction = SignalDirection.Sell;
            }

            if (direction is null || !(atr[i] >= s.MinAtrValue) || !(rr >= s.MinRiskRewardRatio))
            {
                continue;
            }

            var buy = direction == SignalDirection.Buy;
            var stop = buy ? close[i] - atr[i] * s.SlAtrMultiplier : close[i] + atr[i] * s.SlAtrMultiplier;
            var target = buy ? close[i] + atr[i] * s.TpAtrMultiplier : close[i] - atr[i] * s.TpAtrMultiplier;
            result.Add(new ExpectedSignal(candles[i].Time, direction.Value, close[i], slow[i], fast[i], stop, target,
                Math.Abs(close[i] - stop) * pips, Math.Abs(close[i] - target) * pips, atr[i], rr));
        }

        return result;
    }

    private static double[] RollingMean(double[] values, int window)
    {
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = i < window - 1 ? double.NaN : values.Skip(i - window + 1).Take(window).Sum() / window;
        }

        return result;
    }

    public static void AssertEquivalent(IReadOnlyList<ExpectedSignal> expected, IReadOnlyList<Signal> actual, double tolerance = 1e-9)
    {
        Assert.Equal(expected.Select(e => (e.Time, e.Direction)), actual.Select(a => (a.Time, a.Direction)));
        foreach (var (e, a) in expected.Zip(actual))
        {
            foreach (var (name, want, got) in new[]
            {
                ("close", e.Close, a.Close), ("slow_ma", e.SlowMa, a.SlowMa!.Value), ("fast_ma", e.FastMa, a.FastMa!.Value),
                ("stop_loss", e.StopLoss, a.StopLoss), ("take_profit", e.TakeProfit, a.TakeProfit),
                ("sl_pips", e.SlPips, a.SlPips), ("tp_pips", e.TpPips, a.TpPips), ("atr", e.Atr, a.Atr),
                ("risk_reward_ratio", e.RiskReward, a.RiskRewardRatio),
            })
            {
                Assert.True(Math.Abs(want - got) <= tolerance, $"{a.Id} {name}: expected {want:R}, got {got:R}");
            }
        }
    }
}
