using SignalFlow.Domain;
using SignalFlow.Validation;

namespace SignalFlow.Tests.Validation;

public class NewsCalendarTests
{
    public const string Sample = """
        time,currency,impact,title
        # US payrolls, first Friday
        2024-03-08T13:30:00Z,USD,high,Non-Farm Employment Change
        2024-03-08T10:00:00Z,EUR,medium,GDP q/q

        2024-03-07T13:15:00Z,EUR,HIGH,"Main Refinancing Rate, ECB"
        """;

    private static readonly DateTime Payrolls = new(2024, 3, 8, 13, 30, 0, DateTimeKind.Utc);

    [Fact]
    public void A_calendar_reads_its_events_in_time_order_skipping_comments_and_blank_lines()
    {
        var calendar = NewsCalendar.Parse(Sample);

        Assert.Equal(
            [
                new NewsEvent(new DateTime(2024, 3, 7, 13, 15, 0, DateTimeKind.Utc), "EUR", NewsImpact.High, "Main Refinancing Rate, ECB"),
                new NewsEvent(new DateTime(2024, 3, 8, 10, 0, 0, DateTimeKind.Utc), "EUR", NewsImpact.Medium, "GDP q/q"),
                new NewsEvent(Payrolls, "USD", NewsImpact.High, "Non-Farm Employment Change"),
            ],
            calendar.Events);
    }

    [Theory]
    [InlineData("EUR_USD", -30, true)]
    [InlineData("EUR_USD", -31, false)]
    [InlineData("USD_JPY", 15, true)]
    [InlineData("USD_JPY", 15.01, false)]
    [InlineData("GBP_JPY", 0, false)]
    public void A_blackout_covers_pairs_with_the_currency_from_the_window_before_to_the_window_after_bounds_included(string pair, double minutes, bool inside)
    {
        var calendar = NewsCalendar.Parse(Sample);

        var found = calendar.FindBlackout(Instrument.Parse(pair), Payrolls.AddMinutes(minutes), TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(15));

        Assert.Equal(inside, found is not null);
    }

    [Fact]
    public void A_header_alone_is_a_calendar_without_events()
    {
        Assert.Empty(NewsCalendar.Parse("time,currency,impact\n").Events);
    }

    [Fact]
    public void Medium_and_low_impact_events_cause_no_blackout()
    {
        var calendar = NewsCalendar.Parse(Sample);

        Assert.Null(calendar.FindBlackout(Instrument.Parse("EUR_GBP"), new DateTime(2024, 3, 8, 10, 0, 0, DateTimeKind.Utc), TimeSpan.FromHours(1), TimeSpan.FromHours(1)));
    }

    [Theory]
    [InlineData("", 1, "empty")]
    [InlineData("\n# only a comment\n", 2, "empty")]
    [InlineData("when,currency,impact\n2024-03-08T13:30:00Z,USD,high", 1, "header")]
    [InlineData("time,currency,impact\n2024-03-08T13:30:00Z,USD,high\n2024-03-08 13:30,USD,high", 3, "ISO 8601")]
    [InlineData("time,currency,impact\n\n# note\n2024-03-08T13:30:00Z,usd,high", 4, "currency 'usd'")]
    [InlineData("time,currency,impact\n2024-03-08T13:30:00Z,USD,extreme", 2, "impact 'extreme'")]
    [InlineData("time,currency,impact\n2024-03-08T13:30:00Z,USD,2", 2, "impact '2'")]
    [InlineData("time,currency,impact\n2024-03-08T13:30:00Z,USD", 2, "field")]
    [InlineData("time,currency,impact\n2024-02-30T13:30:00Z,USD,high", 2, "ISO 8601")]
    public void A_malformed_calendar_is_refused_with_the_line_number(string text, int line, string problem)
    {
        var refused = Assert.Throws<NewsCalendarFormatException>(() => NewsCalendar.Parse(text));

        Assert.Equal(line, refused.Line);
        Assert.StartsWith($"line {line}: ", refused.Message, StringComparison.Ordinal);
        Assert.Contains(problem, refused.Message, StringComparison.Ordinal);
    }
}
