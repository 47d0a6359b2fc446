using SignalFlow.Domain;
using SignalFlow.Indicators;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Indicators;

public class DonchianChannelTests : IndicatorContractTests<DonchianChannel, Candle>
{
    private const int Period = 20;

    protected override DonchianChannel Create() => new(Period);

    protected override Candle InputOf(Candle candle) => candle;

    /// <summary>The channel at t is made of candles t−n … t−1, so it exists from t = n.</summary>
    protected override int ExpectedWarmUp => Period + 1;

    protected override IReadOnlyList<Line> Lines { get; } =
    [
        new("channel high", i => i.ChannelHigh, candles => BatchIndicators.Donchian(candles, Period).High, ExistsFrom: Period),
        new("channel low", i => i.ChannelLow, candles => BatchIndicators.Donchian(candles, Period).Low, ExistsFrom: Period),
        new("middle", i => i.Current, candles =>
        {
            var (high, low) = BatchIndicators.Donchian(candles, Period);
            return high.Select((h, t) => (h + low[t]) / 2).ToArray();
        }, ExistsFrom: Period),
    ];

    [Fact]
    public void The_current_candle_is_not_in_its_own_channel()
    {
        var channel = new DonchianChannel(2);
        (double H, double L)[] ranges = [(11, 9), (12, 10), (15, 5), (13, 11)];
        var values = ranges.Select((r, i) =>
        {
            channel.Update(SampleData.Candle(new DateTime(2024, 1, 8).AddHours(4 * i), r.L, r.H, r.L, r.L));
            return (channel.ChannelHigh, channel.ChannelLow);
        }).ToList();

        Assert.True(double.IsNaN(values[1].ChannelHigh));
        Assert.Equal((12.0, 9.0), values[2]);
        Assert.Equal((15.0, 5.0), values[3]);
    }
}
