using SignalFlow.Domain;
using SignalFlow.Strategies;

namespace SignalFlow.Tests.Strategies;

public class CatchUpPlannerTests
{
    private static readonly SeriesKey Series = SeriesKey.Parse("EUR_USD_H4");
    private static readonly DateTime T0 = new(2024, 3, 4, 1, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime T1 = T0.AddHours(4);

    [Fact]
    public void A_candle_is_left_to_its_stream_for_one_round_before_the_grain_is_asked()
    {
        var planner = new CatchUpPlanner();

        Assert.Null(planner.Observe(Series, T0));
        Assert.Equal(T0, planner.Observe(Series, T1));
    }

    [Fact]
    public void A_grain_that_confirmed_the_newest_candle_is_not_asked_again_until_a_newer_one_is_stored()
    {
        var planner = new CatchUpPlanner();
        planner.Observe(Series, T0);
        Assert.Equal(T0, planner.Observe(Series, T0));
        planner.Confirm(Series, T0, processedThrough: T0);

        Assert.Null(planner.Observe(Series, T0));
        Assert.Null(planner.Observe(Series, T1));
        Assert.Equal(T1, planner.Observe(Series, T1));
    }

    [Fact]
    public void A_grain_already_past_the_due_candle_is_confirmed_through_its_own_progress()
    {
        var planner = new CatchUpPlanner();
        planner.Observe(Series, T0);
        planner.Observe(Series, T1);
        planner.Confirm(Series, T0, processedThrough: T1);

        Assert.Null(planner.Observe(Series, T1));
    }

    [Fact]
    public void A_series_that_never_started_is_asked_once_and_then_left_idle()
    {
        var planner = new CatchUpPlanner();
        planner.Observe(Series, T0);
        Assert.Equal(T0, planner.Observe(Series, T0));
        planner.Confirm(Series, T0, processedThrough: null);

        Assert.Null(planner.Observe(Series, T0));
    }

    [Fact]
    public void A_series_with_no_stored_candle_is_never_asked()
    {
        var planner = new CatchUpPlanner();

        Assert.Null(planner.Observe(Series, null));
        Assert.Null(planner.Observe(Series, null));
    }
}
