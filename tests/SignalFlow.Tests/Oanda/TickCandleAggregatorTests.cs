using SignalFlow.Domain;
using SignalFlow.Oanda;

namespace SignalFlow.Tests.Oanda;

public class TickCandleAggregatorTests
{
    private static readonly Instrument EurUsd = Instrument.Parse("EUR_USD");

    private static DateTime Utc(int year, int month, int day, int hour, int minute = 0, int second = 0) => new(year, month, day, hour, minute, second, DateTimeKind.Utc);

    private static PriceTick Tick(DateTime time, decimal mid) => new(EurUsd, time, mid - 0.00001m, mid + 0.00001m);

    private static TickCandleAggregator Start(DateTime streamStart, params Timeframe[] timeframes)
    {
        var aggregator = new TickCandleAggregator(EurUsd, new TickAggregationState());
        aggregator.Begin(new TickAggregationPlan(streamStart, timeframes));
        return aggregator;
    }

    /// <summary>Weeks around the March and November 2023 DST switches, including the weekend gap between them.</summary>
    [Theory]
    [InlineData("EUR_USD", "H4", "2023-03-09", "2023-03-15")]
    [InlineData("EUR_USD", "H4", "2023-11-02", "2023-11-08")]
    [InlineData("GBP_JPY", "H4", "2023-03-09", "2023-03-15")]
    [InlineData("AUD_USD", "H4", "2024-10-31", "2024-11-06")]
    [InlineData("EUR_USD", "D", "2023-03-08", "2023-03-15")]
    [InlineData("EUR_USD", "D", "2023-11-01", "2023-11-08")]
    [InlineData("GBP_JPY", "D", "2023-11-01", "2023-11-08")]
    public void Builds_the_sample_candles_from_ticks_inside_them(string instrument, string timeframe, string from, string to)
    {
        var expected = SampleCandles.Between(instrument, timeframe, DateTime.Parse(from + "T00:00:00Z").ToUniversalTime(), DateTime.Parse(to + "T00:00:00Z").ToUniversalTime());
        var aggregator = new TickCandleAggregator(Instrument.Parse(instrument), new TickAggregationState());
        aggregator.Begin(new TickAggregationPlan(expected[0].Time, [Timeframe.Parse(timeframe)]));

        foreach (var tick in SampleCandles.TicksFor(expected))
        {
            Assert.Null(aggregator.Add(tick));
        }

        aggregator.AdvanceStreamTime(expected[^1].EndTime);

        Assert.Equal(expected, aggregator.State.PendingClosed);
        Assert.Empty(aggregator.State.TicksRejected);
    }

    [Fact]
    public void Closes_a_candle_once_the_stream_passes_its_end_without_a_further_tick_of_its_own()
    {
        var aggregator = Start(Utc(2023, 3, 10, 13, 55), Timeframe.M5, Timeframe.H1);
        aggregator.Add(Tick(Utc(2023, 3, 10, 14, 0, 1), 1.06218m));
        aggregator.Add(Tick(Utc(2023, 3, 10, 14, 3), 1.06300m));

        Assert.Equal(Utc(2023, 3, 10, 14, 5), aggregator.NextCloseTime);
        Assert.Equal(0, aggregator.AdvanceStreamTime(Utc(2023, 3, 10, 14, 4, 59)));
        Assert.Equal(1, aggregator.AdvanceStreamTime(Utc(2023, 3, 10, 14, 5)));

        var candle = Assert.Single(aggregator.State.PendingClosed);
        Assert.Equal(new Candle(EurUsd, Timeframe.M5, Utc(2023, 3, 10, 14, 0), 1.06218, 1.063, 1.06218, 1.063, 2), candle);
        Assert.Equal(Utc(2023, 3, 10, 15, 0), aggregator.NextCloseTime);
    }

    [Fact]
    public void Waits_the_close_delay_so_a_price_stamped_before_the_boundary_but_delivered_after_it_still_counts()
    {
        var aggregator = new TickCandleAggregator(EurUsd, new TickAggregationState());
        aggregator.Begin(new TickAggregationPlan(Utc(2023, 3, 10, 14, 0), [Timeframe.M5], CloseDelay: TimeSpan.FromMilliseconds(500)));
        aggregator.Add(Tick(Utc(2023, 3, 10, 14, 1), 1.06m));

        Assert.Equal(Utc(2023, 3, 10, 14, 5).AddMilliseconds(500), aggregator.NextCloseTime);
        Assert.Equal(0, aggregator.AdvanceStreamTime(Utc(2023, 3, 10, 14, 5).AddMilliseconds(300)));
        Assert.Null(aggregator.Add(Tick(Utc(2023, 3, 10, 14, 4, 59).AddMilliseconds(900), 1.07m)));
        Assert.Equal(1, aggregator.AdvanceStreamTime(Utc(2023, 3, 10, 14, 5).AddMilliseconds(500)));

        Assert.Equal(2, Assert.Single(aggregator.State.PendingClosed).Volume);
    }

    [Fact]
    public void Keeps_the_newest_stream_time_and_forgets_it_when_a_new_connection_begins()
    {
        var aggregator = Start(Utc(2023, 3, 10, 14, 0), Timeframe.M5);
        aggregator.Add(Tick(Utc(2023, 3, 10, 14, 1), 1.06m));
        aggregator.AdvanceStreamTime(Utc(2023, 3, 10, 14, 4));
        aggregator.AdvanceStreamTime(Utc(2023, 3, 10, 14, 3));

        Assert.Equal(Utc(2023, 3, 10, 14, 4), aggregator.State.StreamTime);
        Assert.Empty(aggregator.State.PendingClosed);
        Assert.Throws<ArgumentException>(() => aggregator.AdvanceStreamTime(new DateTime(2023, 3, 10, 14, 6, 0, DateTimeKind.Local)));
        Assert.Empty(aggregator.State.PendingClosed);

        aggregator.Begin(new TickAggregationPlan(Utc(2023, 3, 10, 14, 4, 30), [Timeframe.M5]));
        Assert.Null(aggregator.State.StreamTime);
        Assert.Null(aggregator.NextCloseTime);
    }

    [Fact]
    public void Ignores_the_stream_time_before_live_aggregation_began()
    {
        var aggregator = new TickCandleAggregator(EurUsd, new TickAggregationState());

        Assert.Equal(0, aggregator.AdvanceStreamTime(Utc(2023, 3, 10, 14, 4)));
        Assert.Null(aggregator.State.StreamTime);
    }

    [Fact]
    public void Makes_no_candles_for_periods_without_ticks_across_a_weekend()
    {
        var aggregator = Start(Utc(2023, 3, 10, 20, 0), Timeframe.H1);
        aggregator.Add(Tick(Utc(2023, 3, 10, 20, 30), 1.064m));
        aggregator.Add(Tick(Utc(2023, 3, 12, 21, 10), 1.068m));
        aggregator.AdvanceStreamTime(Utc(2023, 3, 12, 22, 0));

        Assert.Equal([Utc(2023, 3, 10, 20, 0), Utc(2023, 3, 12, 21, 0)], aggregator.State.PendingClosed.Select(c => c.Time));
    }

    [Fact]
    public void Rejects_and_counts_repeated_out_of_order_and_late_ticks()
    {
        var aggregator = Start(Utc(2023, 3, 10, 14, 0), Timeframe.M5);
        Assert.Null(aggregator.Add(Tick(Utc(2023, 3, 10, 14, 1), 1.06m)));
        Assert.Null(aggregator.Add(Tick(Utc(2023, 3, 10, 14, 2), 1.07m)));

        Assert.Equal(TickRejection.Duplicate, aggregator.Add(Tick(Utc(2023, 3, 10, 14, 2), 1.07m)));
        Assert.Equal(TickRejection.OutOfOrder, aggregator.Add(Tick(Utc(2023, 3, 10, 14, 1, 30), 1.08m)));
        aggregator.AdvanceStreamTime(Utc(2023, 3, 10, 14, 5));
        aggregator.State.LastTickTime = Utc(2023, 3, 10, 14, 2);
        Assert.Equal(TickRejection.OlderThanOpenCandle, aggregator.Add(Tick(Utc(2023, 3, 10, 14, 4, 59), 1.09m)));
        Assert.Equal(TickRejection.InvalidPrice, aggregator.Add(new PriceTick(EurUsd, Utc(2023, 3, 10, 14, 6), 1.2m, 1.1m)));
        Assert.Equal(TickRejection.WrongInstrument, aggregator.Add(new PriceTick(Instrument.Parse("GBP_JPY"), Utc(2023, 3, 10, 14, 6), 180m, 180.1m)));

        var candle = Assert.Single(aggregator.State.PendingClosed);
        Assert.Equal((1.06, 1.07, 1.06, 1.07, 2L), (candle.Open, candle.High, candle.Low, candle.Close, candle.Volume));
        Assert.Equal(2, aggregator.State.TicksAccepted);
        Assert.Equal(5, aggregator.State.TicksRejected.Values.Sum());
    }

    [Fact]
    public void Counts_a_tick_once_even_when_the_plan_names_a_timeframe_twice()
    {
        var aggregator = Start(Utc(2023, 3, 10, 14, 0), Timeframe.M5, Timeframe.M5);
        aggregator.Add(Tick(Utc(2023, 3, 10, 14, 1), 1.06m));
        aggregator.AdvanceStreamTime(Utc(2023, 3, 10, 14, 5));

        Assert.Equal(1, Assert.Single(aggregator.State.PendingClosed).Volume);
    }

    [Fact]
    public void Rejects_ticks_before_live_aggregation_began()
    {
        var aggregator = new TickCandleAggregator(EurUsd, new TickAggregationState());

        Assert.Equal(TickRejection.NotLive, aggregator.Add(Tick(Utc(2023, 3, 10, 14, 1), 1.06m)));
        Assert.Equal(1, aggregator.State.TicksRejected[TickRejection.NotLive]);
    }

    [Fact]
    public void A_restart_discards_the_open_candle_and_skips_the_partially_observed_period()
    {
        var aggregator = Start(Utc(2023, 3, 10, 14, 0), Timeframe.H1, Timeframe.M5);
        aggregator.Add(Tick(Utc(2023, 3, 10, 14, 1), 1.06m));

        var discarded = aggregator.Begin(new TickAggregationPlan(Utc(2023, 3, 10, 14, 32, 10), [Timeframe.H1, Timeframe.M5]));
        aggregator.Add(Tick(Utc(2023, 3, 10, 14, 34), 1.061m));
        aggregator.Add(Tick(Utc(2023, 3, 10, 14, 36), 1.062m));
        aggregator.Add(Tick(Utc(2023, 3, 10, 15, 1), 1.063m));
        aggregator.AdvanceStreamTime(Utc(2023, 3, 10, 16, 0));

        Assert.Equal(2, discarded);
        Assert.Equal(
            [(Timeframe.M5, Utc(2023, 3, 10, 14, 35), 1L), (Timeframe.H1, Utc(2023, 3, 10, 15, 0), 1L), (Timeframe.M5, Utc(2023, 3, 10, 15, 0), 1L)],
            aggregator.State.PendingClosed.Select(c => (c.Timeframe, c.Time, c.Volume)));
    }
}
