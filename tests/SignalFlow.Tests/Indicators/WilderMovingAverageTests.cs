using SignalFlow.Domain;
using SignalFlow.Indicators;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Indicators;

public class WilderMovingAverageTests : IndicatorContractTests<WilderMovingAverage, double>
{
    private const int Period = 14;

    protected override WilderMovingAverage Create() => new(Period);

    protected override double InputOf(Candle candle) => candle.Close;

    protected override int ExpectedWarmUp => Period;

    protected override IReadOnlyList<Line> Lines { get; } =
        [new("wilder", i => i.Current, candles => BatchIndicators.Wilder(BatchIndicators.Closes(candles), Period), ExistsFrom: Period - 1)];

    [Fact]
    public void Is_seeded_with_the_mean_and_then_folds_one_nth_of_each_new_value()
    {
        // n = 3: seed mean(1, 2, 3) = 2; then (2·2 + 4)/3 = 8/3 and (8/3·2 + 8)/3 = 40/9.
        AssertValuesAfterEach(new WilderMovingAverage(3), [1, 2, 3, 4, 8], [double.NaN, double.NaN, 2.0, 8.0 / 3, 40.0 / 9], precision: 14);
    }

    [Fact]
    public void A_state_whose_average_contradicts_its_sample_count_is_refused()
    {
        var state = new IndicatorState { Samples = 5, Values = [10.0, double.NaN] };
        Assert.Throws<InvalidIndicatorStateException>(() => new WilderMovingAverage(3).Restore(state));
    }
}
