using SignalFlow.Domain;
using SignalFlow.Oanda;

namespace SignalFlow.Tests.Oanda;

public class CandleAlignerTests
{
    private static DateTime Utc(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("EUR_USD", "H4")]
    [InlineData("EUR_USD", "D")]
    [InlineData("AUD_USD", "H4")]
    [InlineData("AUD_USD", "D")]
    [InlineData("GBP_JPY", "H4")]
    [InlineData("GBP_JPY", "D")]
    public void Every_sample_candle_starts_a_period_and_follows_the_previous_one(string instrument, string timeframe)
    {
        var aligner = new CandleAligner();
        var candles = SampleCandles.Load(instrument, timeframe);
        Assert.NotEmpty(candles);

        foreach (var candle in candles)
        {
            var period = aligner.PeriodOf(candle.Time, candle.Timeframe);
            Assert.Equal(candle.Time, period.Start);
            Assert.Equal(period, aligner.PeriodOf(period.End.AddTicks(-1), candle.Timeframe));
            Assert.Equal(candle.Time, aligner.PeriodOf(candle.Time.AddTicks(-1), candle.Timeframe).End);
        }
    }

    [Fact]
    public void Daily_and_H4_start_at_22_UTC_in_winter_and_21_UTC_in_summer()
    {
        var aligner = new CandleAligner();

        Assert.Equal(new CandlePeriod(Utc(2023, 1, 2, 22), Utc(2023, 1, 3, 22)), aligner.PeriodOf(Utc(2023, 1, 3, 12), Timeframe.D));
        Assert.Equal(new CandlePeriod(Utc(2023, 6, 13, 21), Utc(2023, 6, 14, 21)), aligner.PeriodOf(Utc(2023, 6, 14, 12), Timeframe.D));
        Assert.Equal(new CandlePeriod(Utc(2023, 1, 3, 10), Utc(2023, 1, 3, 14)), aligner.PeriodOf(Utc(2023, 1, 3, 12), Timeframe.H4));
        Assert.Equal(new CandlePeriod(Utc(2023, 6, 14, 9), Utc(2023, 6, 14, 13)), aligner.PeriodOf(Utc(2023, 6, 14, 12), Timeframe.H4));
        Assert.Equal(new CandlePeriod(Utc(2023, 6, 14, 12, 15), Utc(2023, 6, 14, 12, 30)), aligner.PeriodOf(Utc(2023, 6, 14, 12, 20), Timeframe.M15));
    }

    [Fact]
    public void The_day_of_a_DST_switch_is_23_or_25_hours_long()
    {
        var aligner = new CandleAligner();

        // 2023-03-12 02:00 New York springs forward; 2023-11-05 02:00 falls back.
        Assert.Equal(new CandlePeriod(Utc(2023, 3, 11, 22), Utc(2023, 3, 12, 21)), aligner.PeriodOf(Utc(2023, 3, 12, 12), Timeframe.D));
        Assert.Equal(new CandlePeriod(Utc(2023, 11, 4, 21), Utc(2023, 11, 5, 22)), aligner.PeriodOf(Utc(2023, 11, 5, 12), Timeframe.D));
        Assert.Equal(new CandlePeriod(Utc(2023, 3, 12, 18), Utc(2023, 3, 12, 21)), aligner.PeriodOf(Utc(2023, 3, 12, 20), Timeframe.H4));
        Assert.Equal(new CandlePeriod(Utc(2023, 11, 5, 21), Utc(2023, 11, 5, 22)), aligner.PeriodOf(Utc(2023, 11, 5, 21, 30), Timeframe.H4));
    }

    [Fact]
    public void Honours_a_custom_daily_alignment_and_time_zone()
    {
        var aligner = new CandleAligner(dailyAlignment: 0, alignmentTimezone: "Etc/UTC");

        Assert.Equal(new CandlePeriod(Utc(2023, 6, 14, 0), Utc(2023, 6, 15, 0)), aligner.PeriodOf(Utc(2023, 6, 14, 12), Timeframe.D));
        Assert.Equal(new CandlePeriod(Utc(2023, 6, 14, 12), Utc(2023, 6, 14, 16)), aligner.PeriodOf(Utc(2023, 6, 14, 13), Timeframe.H4));
    }

    [Fact]
    public void Rejects_unknown_time_zones_and_impossible_hours()
    {
        Assert.Contains("Mars/Olympus_Mons", Assert.Throws<ArgumentException>(() => new CandleAligner(17, "Mars/Olympus_Mons")).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CandleAligner(24));
    }
}
