using SignalFlow.Domain;

namespace SignalFlow.Tests.Support;

/// <summary>
/// The indicators of docs/strategies.md computed the straightforward way over a whole series, written independently of
/// the production classes: arrays indexed by candle t, each value recomputed from its definition, NaN where the value
/// does not exist yet.
/// </summary>
public static class BatchIndicators
{
    public static double[] Closes(IReadOnlyList<Candle> candles) => candles.Select(c => c.Close).ToArray();

    /// <summary>SMA(n) at t ≥ n−1: the mean of the n values ending at t, summed afresh for every t.</summary>
    public static double[] Sma(double[] values, int n)
    {
        var result = Undefined(values.Length);
        for (var t = n - 1; t < values.Length; t++)
        {
            var sum = 0.0;
            for (var i = t - n + 1; i <= t; i++)
            {
                sum += values[i];
            }

            result[t] = sum / n;
        }

        return result;
    }

    /// <summary>EMA(n) over the values from the first defined one: the mean of the first n, then α·x + (1−α)·previous.</summary>
    public static double[] Ema(double[] values, int n)
    {
        var alpha = 2.0 / (n + 1);
        return Seeded(values, n, (previous, x) => (alpha * x) + ((1 - alpha) * previous));
    }

    /// <summary>Wilder's smoothing over the values from the first defined one: the mean of the first n, then (previous·(n−1) + x)/n.</summary>
    public static double[] Wilder(double[] values, int n) => Seeded(values, n, (previous, x) => ((previous * (n - 1)) + x) / n);

    public static double[] TrueRange(IReadOnlyList<Candle> candles)
    {
        var result = new double[candles.Count];
        for (var t = 0; t < candles.Count; t++)
        {
            var c = candles[t];
            result[t] = t == 0
                ? c.High - c.Low
                : new[] { c.High - c.Low, Math.Abs(c.High - candles[t - 1].Close), Math.Abs(c.Low - candles[t - 1].Close) }.Max();
        }

        return result;
    }

    public static double[] AtrSimple(IReadOnlyList<Candle> candles, int n) => Sma(TrueRange(candles), n);

    public static double[] AtrWilder(IReadOnlyList<Candle> candles, int n) => Wilder(TrueRange(candles), n);

    /// <summary>RSI(n) at t ≥ n from Wilder averages of the gains and losses of the closes' changes (t ≥ 1).</summary>
    public static double[] Rsi(double[] closes, int n)
    {
        var gains = Undefined(closes.Length);
        var losses = Undefined(closes.Length);
        for (var t = 1; t < closes.Length; t++)
        {
            var change = closes[t] - closes[t - 1];
            gains[t] = change > 0 ? change : 0;
            losses[t] = change < 0 ? -change : 0;
        }

        var averageGain = Wilder(gains, n);
        var averageLoss = Wilder(losses, n);
        var result = Undefined(closes.Length);
        for (var t = 0; t < closes.Length; t++)
        {
            if (double.IsNaN(averageGain[t]))
            {
                continue;
            }

            result[t] = averageLoss[t] == 0
                ? averageGain[t] == 0 ? 50 : 100
                : 100 - (100 / (1 + (averageGain[t] / averageLoss[t])));
        }

        return result;
    }

    /// <summary>MACD(f, s, g): the macd line, its signal line (EMA(g) over the defined macd values) and the histogram.</summary>
    public static (double[] Macd, double[] Signal, double[] Histogram) Macd(double[] closes, int fast, int slow, int signal)
    {
        var fastEma = Ema(closes, fast);
        var slowEma = Ema(closes, slow);
        var macd = closes.Select((_, t) => fastEma[t] - slowEma[t]).ToArray();
        var signalLine = Ema(macd, signal);
        return (macd, signalLine, macd.Select((m, t) => m - signalLine[t]).ToArray());
    }

    /// <summary>Donchian(n) at t ≥ n: the highest high and lowest low of candles t−n … t−1.</summary>
    public static (double[] High, double[] Low) Donchian(IReadOnlyList<Candle> candles, int n)
    {
        var high = Undefined(candles.Count);
        var low = Undefined(candles.Count);
        for (var t = n; t < candles.Count; t++)
        {
            var window = candles.Skip(t - n).Take(n).ToList();
            high[t] = window.Max(c => c.High);
            low[t] = window.Min(c => c.Low);
        }

        return (high, low);
    }

    /// <summary>The highest (or lowest) of the n values ending at t, from t = n − 1.</summary>
    public static double[] Extreme(double[] values, int n, bool highest)
    {
        var result = Undefined(values.Length);
        for (var t = n - 1; t < values.Length; t++)
        {
            var window = values[(t - n + 1)..(t + 1)];
            result[t] = highest ? window.Max() : window.Min();
        }

        return result;
    }

    public static double[] Undefined(int length) => Enumerable.Repeat(double.NaN, length).ToArray();

    private static double[] Seeded(double[] values, int n, Func<double, double, double> fold)
    {
        var result = Undefined(values.Length);
        var first = Array.FindIndex(values, v => !double.IsNaN(v));
        if (first < 0 || first + n > values.Length)
        {
            return result;
        }

        var sum = 0.0;
        for (var i = first; i < first + n; i++)
        {
            sum += values[i];
        }

        result[first + n - 1] = sum / n;
        for (var t = first + n; t < values.Length; t++)
        {
            result[t] = fold(result[t - 1], values[t]);
        }

        return result;
    }
}
