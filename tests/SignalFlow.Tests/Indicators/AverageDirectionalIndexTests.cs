using SignalFlow.Domain;
using SignalFlow.Indicators;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Indicators;

/// <summary>ADX/DMI(14), Wilder's, against a batch computation written from the definition over whole arrays.</summary>
public class AverageDirectionalIndexTests : IndicatorContractTests<AverageDirectionalIndex, Candle>
{
    private const int Period = 14;

    protected override AverageDirectionalIndex Create() => new(Period);

    protected override Candle InputOf(Candle candle) => candle;

    /// <summary>DX exists from t = n (n moves after the first candle); ADX averages n of them, so from t = 2n − 1.</summary>
    protected override int ExpectedWarmUp => 2 * Period;

    protected override IReadOnlyList<Line> Lines { get; } =
    [
        new("+DI", i => i.PlusDi, candles => Batch(candles, Period).PlusDi, ExistsFrom: Period),
        new("−DI", i => i.MinusDi, candles => Batch(candles, Period).MinusDi, ExistsFrom: Period),
        new("ADX", i => i.Current, candles => Batch(candles, Period).Adx, ExistsFrom: (2 * Period) - 1),
    ];

    /// <summary>
    /// The whole series at once: directional moves and true ranges at t ≥ 1 (NaN at t = 0), each smoothed by Wilder's
    /// average from its first defined value, the DIs, DX, and ADX as Wilder's average of DX.
    /// </summary>
    public static (double[] PlusDi, double[] MinusDi, double[] Adx) Batch(IReadOnlyList<Candle> candles, int n)
    {
        var count = candles.Count;
        var plusMove = BatchIndicators.Undefined(count);
        var minusMove = BatchIndicators.Undefined(count);
        var trueRange = BatchIndicators.Undefined(count);
        var allTrueRanges = BatchIndicators.TrueRange(candles);
        for (var t = 1; t < count; t++)
        {
            var up = candles[t].High - candles[t - 1].High;
            var down = candles[t - 1].Low - candles[t].Low;
            plusMove[t] = up > down && up > 0 ? up : 0;
            minusMove[t] = down > up && down > 0 ? down : 0;
            trueRange[t] = allTrueRanges[t];
        }

        var averageRange = BatchIndicators.Wilder(trueRange, n);
        var averagePlus = BatchIndicators.Wilder(plusMove, n);
        var averageMinus = BatchIndicators.Wilder(minusMove, n);
        var plusDi = BatchIndicators.Undefined(count);
        var minusDi = BatchIndicators.Undefined(count);
        var dx = BatchIndicators.Undefined(count);
        for (var t = 0; t < count; t++)
        {
            if (double.IsNaN(averageRange[t]))
            {
                continue;
            }

            plusDi[t] = averageRange[t] == 0 ? 0 : 100 * averagePlus[t] / averageRange[t];
            minusDi[t] = averageRange[t] == 0 ? 0 : 100 * averageMinus[t] / averageRange[t];
            var sum = plusDi[t] + minusDi[t];
            dx[t] = sum == 0 ? 0 : 100 * Math.Abs(plusDi[t] - minusDi[t]) / sum;
        }

        return (plusDi, minusDi, BatchIndicators.Wilder(dx, n));
    }

    [Fact]
    public void Hand_computed_directional_movement_and_adx()
    {
        // n = 2. Candles (high, low, close): (10, 9, 9.5), (11, 9.5, 10.5), (11.5, 10, 11), (11, 9, 9.5), (10, 8.5, 9).
        // t=1: up 1, down −0.5 → +DM 1, −DM 0; TR max(1.5, 1.5, 0) = 1.5.
        // t=2: up 0.5, down −0.5 → +DM 0.5; TR max(1.5, 1, 0.5) = 1.5. Averages (first, of t = 1, 2): TR 1.5, +DM 0.75, −DM 0
        //      → +DI 50, −DI 0, DX 100.
        // t=3: up −0.5, down 1 → −DM 1; TR max(2, 0, 2) = 2. Wilder: TR (1.5 + 2)/2 = 1.75, +DM 0.375, −DM 0.5
        //      → +DI 150/7, −DI 200/7, DX 100·(50/7)/(350/7) = 100/7; ADX (first, of t = 2, 3) = (100 + 100/7)/2 = 400/7.
        // t=4: up −1, down 0.5 → −DM 0.5; TR max(1.5, 0.5, 1) = 1.5. TR 1.625, +DM 0.1875, −DM 0.5
        //      → +DI 18.75/1.625, −DI 50/1.625, DX 100·31.25/68.75 = 500/11; ADX (400/7 + 500/11)/2.
        var adx = new AverageDirectionalIndex(2);
        var candles = new (double H, double L, double C)[] { (10, 9, 9.5), (11, 9.5, 10.5), (11.5, 10, 11), (11, 9, 9.5), (10, 8.5, 9) }
            .Select((c, i) => SampleData.Candle(new DateTime(2024, 1, 8).AddHours(4 * i), c.C, c.H, c.L, c.C))
            .ToList();

        AssertValuesAfterEach(adx, candles, [double.NaN, double.NaN, double.NaN, 400.0 / 7, ((400.0 / 7) + (500.0 / 11)) / 2], precision: 12);
        Assert.Equal(18.75 / 1.625, adx.PlusDi, 12);
        Assert.Equal(50 / 1.625, adx.MinusDi, 12);
    }

    [Fact]
    public void A_flat_market_has_no_direction_and_an_adx_of_zero()
    {
        var adx = new AverageDirectionalIndex(3);
        for (var i = 0; i < 10; i++)
        {
            adx.Update(SampleData.Candle(new DateTime(2024, 1, 8).AddHours(4 * i), 1.1, 1.1, 1.1, 1.1));
        }

        Assert.Equal((0.0, 0.0, 0.0), (adx.PlusDi, adx.MinusDi, adx.Current));
    }
}
