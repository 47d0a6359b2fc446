using SignalFlow.Domain;
using SignalFlow.Indicators;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Indicators;

public class ExponentialMovingAverageTests : IndicatorContractTests<ExponentialMovingAverage, double>
{
    private const int Period = 12;

    protected override ExponentialMovingAverage Create() => new(Period);

    protected override double InputOf(Candle candle) => candle.Close;

    protected override int ExpectedWarmUp => Period;

    protected override IReadOnlyList<Line> Lines { get; } =
        [new("ema", i => i.Current, candles => BatchIndicators.Ema(BatchIndicators.Closes(candles), Period), ExistsFrom: Period - 1)];

    [Fact]
    public void Is_seeded_with_the_sma_and_then_weights_the_new_close_by_two_over_n_plus_one()
    {
        // n = 3: α = 0.5; seed at t = 2 is mean(1, 2, 3) = 2; then 0.5·4 + 0.5·2 = 3 and 0.5·8 + 0.5·3 = 5.5.
        AssertValuesAfterEach(new ExponentialMovingAverage(3), [1, 2, 3, 4, 8], [double.NaN, double.NaN, 2.0, 3.0, 5.5]);
    }

    [Fact]
    public void Period_one_is_the_input_itself()
    {
        AssertValuesAfterEach(new ExponentialMovingAverage(1), [1.1, 0.7, 3.25], [1.1, 0.7, 3.25]);
    }

    [Fact]
    public void Refuses_non_finite_input()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialMovingAverage(2).Update(double.NaN));
    }
}
