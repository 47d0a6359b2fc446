using SignalFlow.Validation;

namespace SignalFlow.Tests.Validation;

public class TradingSessionsTests
{
    private static DateTime Utc(string time) => DateTime.Parse(time, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);

    [Theory]
    // London 08:00-17:00 local: 08:00 UTC in winter (GMT), 07:00 UTC from the last Sunday of March (BST, 2024-03-31).
    [InlineData("London", "2024-03-29T07:59:59Z", false)]
    [InlineData("London", "2024-03-29T08:00:00Z", true)]
    [InlineData("London", "2024-03-29T16:59:59Z", true)]
    [InlineData("London", "2024-03-29T17:00:00Z", false)]
    [InlineData("London", "2024-04-01T06:59:59Z", false)]
    [InlineData("London", "2024-04-01T07:00:00Z", true)]
    [InlineData("London", "2024-04-01T16:00:00Z", false)]
    [InlineData("London", "2024-10-28T07:30:00Z", false)]
    [InlineData("London", "2024-10-28T08:00:00Z", true)]
    // New York 08:00-17:00 local: 13:00 UTC in winter (EST), 12:00 UTC from 2024-03-10 (EDT), while London is still on GMT.
    [InlineData("NewYork", "2024-03-08T12:30:00Z", false)]
    [InlineData("NewYork", "2024-03-08T13:00:00Z", true)]
    [InlineData("NewYork", "2024-03-11T12:00:00Z", true)]
    [InlineData("NewYork", "2024-03-11T11:59:59Z", false)]
    [InlineData("NewYork", "2024-03-11T21:00:00Z", false)]
    [InlineData("New York", "2024-03-11T20:59:59Z", true)]
    // Sydney 07:00-16:00 local, southern summer time ends 2024-04-07: 20:00 UTC (the day before) in summer, 21:00 UTC after.
    [InlineData("Sydney", "2024-04-04T20:00:00Z", true)]
    [InlineData("Sydney", "2024-04-04T19:59:59Z", false)]
    [InlineData("Sydney", "2024-04-08T20:30:00Z", false)]
    [InlineData("Sydney", "2024-04-08T21:00:00Z", true)]
    [InlineData("Sydney", "2024-04-09T05:59:59Z", true)]
    [InlineData("Sydney", "2024-04-09T06:00:00Z", false)]
    // Tokyo 09:00-18:00 JST, no daylight saving: 00:00-09:00 UTC all year.
    [InlineData("Tokyo", "2024-01-15T00:00:00Z", true)]
    [InlineData("Tokyo", "2024-07-15T08:59:59Z", true)]
    [InlineData("Tokyo", "2024-07-15T09:00:00Z", false)]
    public void Named_sessions_follow_their_own_zone_across_daylight_saving(string session, string utc, bool open)
    {
        Assert.Equal(open, TradingSessions.Parse([session]).Allows(Utc(utc)));
    }

    [Theory]
    [InlineData("22:00-02:00", "2024-03-08T23:30:00Z", true)]
    [InlineData("22:00-02:00", "2024-03-08T01:59:00Z", true)]
    [InlineData("22:00-02:00", "2024-03-08T02:00:00Z", false)]
    [InlineData("22:00-02:00", "2024-03-08T21:59:00Z", false)]
    [InlineData("12:00-16:00", "2024-07-08T12:00:00Z", true)]
    [InlineData("12:00-16:00", "2024-07-08T16:00:00Z", false)]
    public void Utc_ranges_include_their_start_exclude_their_end_and_may_wrap_midnight(string range, string utc, bool open)
    {
        Assert.Equal(open, TradingSessions.Parse([range]).Allows(Utc(utc)));
    }

    [Fact]
    public void Several_windows_allow_any_of_them_and_none_or_any_allow_all_times()
    {
        var sessions = TradingSessions.Parse(["Tokyo", "16:00-18:00"]);
        Assert.True(sessions.Allows(Utc("2024-03-08T03:00:00Z")));
        Assert.True(sessions.Allows(Utc("2024-03-08T17:00:00Z")));
        Assert.False(sessions.Allows(Utc("2024-03-08T12:00:00Z")));
        Assert.True(TradingSessions.Parse(["Any"]).IsUnrestricted);
        Assert.True(TradingSessions.Parse([]).Allows(Utc("2024-03-08T12:00:00Z")));
    }

    [Theory]
    [InlineData("Frankfurt")]
    [InlineData("25:00-02:00")]
    [InlineData("08:00-08:00")]
    [InlineData("8-12")]
    public void Unknown_sessions_and_bad_ranges_are_refused_with_the_entry(string entry)
    {
        Assert.False(TradingSessions.TryParse([entry], out _, out var error));
        Assert.Contains(entry, error, StringComparison.Ordinal);
    }
}
