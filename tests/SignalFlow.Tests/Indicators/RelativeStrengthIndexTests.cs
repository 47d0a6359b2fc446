using SignalFlow.Domain;
using SignalFlow.Indicators;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Indicators;

public class RelativeStrengthIndexTests : IndicatorContractTests<RelativeStrengthIndex, double>
{
    private const int Period = 14;

    protected override RelativeStrengthIndex Create() => new(Period);

    protected override double InputOf(Candle candle) => candle.Close;

    /// <summary>RSI(n) exists at t ≥ n: n changes need n + 1 closes.</summary>
    protected override int ExpectedWarmUp => Period + 1;

    protected override IReadOnlyList<Line> Lines { get; } =
        [new("rsi", i => i.Current, candles => BatchIndicators.Rsi(BatchIndicators.Closes(candles), Period), ExistsFrom: Period)];

    [Fact]
    public void Averages_gains_and_losses_by_wilders_smoothing()
    {
        // n = 2. Changes −1, −1: avgGain 0, avgLoss 1 → RSI 0. +1: avgGain (0 + 1)/2 = 0.5, avgLoss (1 + 0)/2 = 0.5 → 50.
        // +1: avgGain (0.5 + 1)/2 = 0.75, avgLoss 0.25 → RS 3 → 75.
        AssertValuesAfterEach(new RelativeStrengthIndex(2), [10, 9, 8, 9, 10], [double.NaN, double.NaN, 0, 50, 75]);
    }

    [Fact]
    public void No_loss_gives_100_and_no_change_at_all_gives_50()
    {
        var rising = new RelativeStrengthIndex(3);
        var flat = new RelativeStrengthIndex(3);
        for (var i = 0; i < 6; i++)
        {
            rising.Update(1.0 + (i * 0.01));
            flat.Update(1.0);
        }

        Assert.Equal(100, rising.Current);
        Assert.Equal(50, flat.Current);
    }
}
