using SignalFlow.Domain;
using SignalFlow.Indicators;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Indicators;

/// <summary>The percentile rank of the ATR(14) among its last 100 values, as the market context uses it, against a batch count.</summary>
public class PercentileRankTests : IndicatorContractTests<PercentileRank, double>
{
    private const int Period = 100;

    protected override PercentileRank Create() => new(Period);

    /// <summary>A price series as input: the contract needs every candle to give an input; the close serves.</summary>
    protected override double InputOf(Candle candle) => candle.Close;

    protected override int ExpectedWarmUp => Period;

    protected override IReadOnlyList<Line> Lines { get; } =
        [new("percentile", i => i.Current, candles => Batch(BatchIndicators.Closes(candles), Period), ExistsFrom: Period - 1)];

    /// <summary>For each t ≥ n − 1: the share of the other n − 1 values below the newest, ties counting half.</summary>
    private static double[] Batch(double[] values, int n)
    {
        var result = BatchIndicators.Undefined(values.Length);
        for (var t = n - 1; t < values.Length; t++)
        {
            var others = values[(t - n + 1)..t];
            result[t] = (others.Count(v => v < values[t]) + (0.5 * others.Count(v => v == values[t]))) / (n - 1);
        }

        return result;
    }

    [Fact]
    public void The_lowest_is_0_the_highest_1_and_a_flat_window_one_half()
    {
        Assert.Equal(0, PercentileRank.Of(1, [1, 2, 3, 4, 5]));
        Assert.Equal(1, PercentileRank.Of(5, [1, 2, 3, 4, 5]));
        Assert.Equal(0.5, PercentileRank.Of(3, [1, 2, 3, 4, 5]));
        Assert.Equal(0.5, PercentileRank.Of(7, [7, 7, 7, 7]));

        // Two equal highest values share the top two ranks (3 and 4 of 0 … 4).
        Assert.Equal(3.5 / 4, PercentileRank.Of(5, [1, 5, 2, 3, 5]));
    }

    [Fact]
    public void Only_the_last_n_values_count()
    {
        var rank = new PercentileRank(3);
        AssertValuesAfterEach(rank, [10.0, 1, 2, 3, 0.5, 9], [double.NaN, double.NaN, 0.5, 1, 0, 1]);
    }

    [Fact]
    public void A_window_of_fewer_than_two_values_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PercentileRank(1));
    }
}
