using SignalFlow.Quality;

namespace SignalFlow.Tests.Quality;

/// <summary>Sessions open by their local hours, so their UTC hours move with each zone's daylight saving, on its own dates.</summary>
public class TradingSessionTests
{
    private static DateTime Utc(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, DateTimeKind.Utc);

    public static TheoryData<string, DateTime, DateTime> Openings => new()
    {
        // London 08:00 local: GMT in winter, BST (UTC+1) from the last Sunday of March 2024 (the 31st).
        { "London", Utc(2024, 1, 15, 8), Utc(2024, 1, 15, 7, 59) },
        { "London", Utc(2024, 3, 29, 8), Utc(2024, 3, 29, 7, 59) },
        { "London", Utc(2024, 4, 2, 7), Utc(2024, 4, 2, 6, 59) },
        // New York 08:00 local: EST (UTC−5), EDT (UTC−4) from the second Sunday of March 2024 (the 10th), three weeks before London.
        { "New York", Utc(2024, 3, 8, 13), Utc(2024, 3, 8, 12, 59) },
        { "New York", Utc(2024, 3, 11, 12), Utc(2024, 3, 11, 11, 59) },
        // ... and back on the first Sunday of November 2024 (the 3rd), a week after London (27 October).
        { "New York", Utc(2024, 11, 1, 12), Utc(2024, 11, 1, 11, 59) },
        { "New York", Utc(2024, 11, 4, 13), Utc(2024, 11, 4, 12, 59) },
        // Sydney 07:00 local: AEDT (UTC+11) in the southern summer, so Monday opens on Sunday 20:00 UTC; AEST (UTC+10) from 7 April 2024.
        { "Sydney", Utc(2024, 1, 14, 20), Utc(2024, 1, 14, 19, 59) },
        { "Sydney", Utc(2024, 7, 14, 21), Utc(2024, 7, 14, 20, 59) },
        // Tokyo 09:00 local, no daylight saving: 00:00 UTC all year.
        { "Tokyo", Utc(2024, 1, 15, 0), Utc(2024, 1, 14, 23, 59) },
        { "Tokyo", Utc(2024, 7, 15, 0), Utc(2024, 7, 14, 23, 59) },
    };

    [Theory]
    [MemberData(nameof(Openings))]
    public void A_session_opens_at_its_local_hour_whatever_the_season(string session, DateTime opens, DateTime justBefore)
    {
        var s = TradingSessions.All.Single(x => x.Name == session);
        Assert.True(s.IsOpenAt(opens), $"{session} open at {opens:u}");
        Assert.False(s.IsOpenAt(justBefore), $"{session} closed at {justBefore:u}");
    }

    [Fact]
    public void London_closes_at_17_local_and_the_overlap_with_New_York_moves_with_both()
    {
        // Winter: London 08–17 UTC, New York 13–22 UTC → overlap 13:00–17:00 UTC.
        Assert.Equal("London/NY overlap", TradingSessions.Describe(TradingSessions.OpenAt(Utc(2024, 1, 15, 13))));
        Assert.Equal("NY session", TradingSessions.Describe(TradingSessions.OpenAt(Utc(2024, 1, 15, 17))));
        Assert.Equal("London session", TradingSessions.Describe(TradingSessions.OpenAt(Utc(2024, 1, 15, 12, 59))));

        // Between the US and the UK switches (March 2024), New York opens at 12:00 UTC while London is still on GMT.
        Assert.Equal("London/NY overlap", TradingSessions.Describe(TradingSessions.OpenAt(Utc(2024, 3, 20, 12))));

        // Summer: London closes at 16:00 UTC.
        Assert.Equal("NY session", TradingSessions.Describe(TradingSessions.OpenAt(Utc(2024, 7, 15, 16))));
    }

    [Fact]
    public void Nothing_is_open_on_a_local_weekend()
    {
        // Saturday noon UTC: Saturday everywhere.
        Assert.Empty(TradingSessions.OpenAt(Utc(2024, 6, 15, 12)));
        Assert.Equal("no major session", TradingSessions.Describe(TradingSessions.OpenAt(Utc(2024, 6, 15, 12))));

        // Friday 22:00 UTC is Saturday 08:00 in Sydney: closed, and New York's day is over.
        Assert.Empty(TradingSessions.OpenAt(Utc(2024, 6, 14, 22)));
    }
}
