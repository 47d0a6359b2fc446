namespace SignalFlow.Quality;

/// <summary>
/// A major forex session by its local business hours, Monday to Friday in its own time zone: its UTC hours move with
/// that zone's daylight saving (London and New York shift on different dates, Sydney's summer is the northern winter).
/// </summary>
public sealed record TradingSession(string Name, string ShortName, TimeZoneInfo Zone, TimeSpan Opens, TimeSpan Closes, IReadOnlyList<string> Currencies)
{
    /// <summary>Open from <see cref="Opens"/> (inclusive) to <see cref="Closes"/> (exclusive), local time, on a local weekday.</summary>
    public bool IsOpenAt(DateTime utc)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);
        return local.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && local.TimeOfDay >= Opens && local.TimeOfDay < Closes;
    }
}

/// <summary>Sydney, Tokyo, London and New York (docs/signal-quality.md, "Sessions"), from the IANA time zone database.</summary>
public static class TradingSessions
{
    public static readonly TradingSession Sydney = new("Sydney", "Sydney", Zone("Australia/Sydney"), TimeSpan.FromHours(7), TimeSpan.FromHours(16), ["AUD", "NZD"]);
    public static readonly TradingSession Tokyo = new("Tokyo", "Tokyo", Zone("Asia/Tokyo"), TimeSpan.FromHours(9), TimeSpan.FromHours(18), ["JPY"]);
    public static readonly TradingSession London = new("London", "London", Zone("Europe/London"), TimeSpan.FromHours(8), TimeSpan.FromHours(17), ["GBP", "EUR", "CHF"]);
    public static readonly TradingSession NewYork = new("New York", "NY", Zone("America/New_York"), TimeSpan.FromHours(8), TimeSpan.FromHours(17), ["USD", "CAD"]);

    public static IReadOnlyList<TradingSession> All { get; } = [Sydney, Tokyo, London, NewYork];

    /// <summary>The New York time zone: the forex day rolls over at 17:00 there, and the week closes on Friday at that hour.</summary>
    public static TimeZoneInfo NewYorkZone => NewYork.Zone;

    /// <summary>The sessions open at <paramref name="utc"/>, in the order of <see cref="All"/>.</summary>
    public static IReadOnlyList<TradingSession> OpenAt(DateTime utc) => All.Where(s => s.IsOpenAt(utc)).ToList();

    /// <summary><c>London/NY overlap</c>, <c>Tokyo session</c>, or <c>no major session</c>.</summary>
    public static string Describe(IReadOnlyList<TradingSession> open) => open.Count switch
    {
        0 => "no major session",
        1 => $"{open[0].ShortName} session",
        _ => $"{string.Join('/', open.Select(s => s.ShortName))} overlap",
    };

    private static TimeZoneInfo Zone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException ex)
        {
            throw new InvalidOperationException(
                $"Time zone '{id}' is not on this machine: the trading sessions need the IANA time zone database (the tzdata package).", ex);
        }
    }
}
