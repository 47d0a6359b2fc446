using System.Globalization;
using SignalFlow.Domain;

namespace SignalFlow.Validation;

public enum NewsImpact
{
    Low,
    Medium,
    High,
}

/// <summary>One scheduled economic release: when (UTC), which currency it moves, how much.</summary>
[GenerateSerializer, Immutable]
public sealed record NewsEvent(
    [property: Id(0)] DateTime Time,
    [property: Id(1)] string Currency,
    [property: Id(2)] NewsImpact Impact,
    [property: Id(3)] string Title);

/// <summary>A news calendar file refused: the 1-based line at fault and why.</summary>
public sealed class NewsCalendarFormatException(int line, string problem)
    : FormatException($"line {line}: {problem}")
{
    public int Line { get; } = line;
}

/// <summary>
/// The news events of a CSV calendar: a header line <c>time,currency,impact[,title]</c>, then one event a line with
/// an ISO 8601 UTC time (<c>2024-03-08T13:30:00Z</c>), a three-letter currency, <c>low</c>/<c>medium</c>/<c>high</c>
/// and an optional title (the rest of the line). Blank lines and lines starting with <c>#</c> are skipped; a
/// calendar without events is a header alone.
/// </summary>
public sealed class NewsCalendar
{
    private readonly List<NewsEvent> _events;

    private NewsCalendar(List<NewsEvent> events) => _events = events;

    public static NewsCalendar Empty { get; } = new([]);

    public IReadOnlyList<NewsEvent> Events => _events;

    /// <summary>Reads a whole calendar; the first bad line refuses all of it (<see cref="NewsCalendarFormatException"/>).</summary>
    public static NewsCalendar Parse(TextReader reader)
    {
        List<NewsEvent> events = [];
        var number = 0;
        var headerSeen = false;
        while (reader.ReadLine() is { } line)
        {
            number++;
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }

            var fields = text.Split(',', 4);
            if (!headerSeen)
            {
                if (fields.Length < 3 || !fields.Take(3).Select(f => f.Trim().ToLowerInvariant()).SequenceEqual(["time", "currency", "impact"]))
                {
                    throw new NewsCalendarFormatException(number, $"expected the header 'time,currency,impact[,title]', found '{text}'.");
                }

                headerSeen = true;
                continue;
            }

            events.Add(ParseEvent(fields, number));
        }

        // An empty file is refused rather than taken as "no events": a file caught mid-write reads empty.
        return headerSeen
            ? new NewsCalendar(events.OrderBy(e => e.Time).ToList())
            : throw new NewsCalendarFormatException(Math.Max(number, 1), "no header line 'time,currency,impact[,title]': the file is empty.");
    }

    public static NewsCalendar Parse(string text) => Parse(new StringReader(text));

    /// <summary>
    /// The first high-impact event on the instrument's base or quote currency from <paramref name="before"/> before
    /// <paramref name="time"/> to <paramref name="after"/> after it (bounds included), or null.
    /// </summary>
    public NewsEvent? FindBlackout(Instrument instrument, DateTime time, TimeSpan before, TimeSpan after) =>
        _events.FirstOrDefault(e => e.Impact == NewsImpact.High
            && (e.Currency == instrument.BaseCurrency || e.Currency == instrument.QuoteCurrency)
            && e.Time - before <= time && time <= e.Time + after);

    private static NewsEvent ParseEvent(string[] fields, int line)
    {
        if (fields.Length < 3)
        {
            throw new NewsCalendarFormatException(line, $"expected time,currency,impact[,title]; found {fields.Length} field(s).");
        }

        if (!DateTime.TryParse(fields[0].Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
            || !fields[0].Trim().Contains('T', StringComparison.Ordinal))
        {
            throw new NewsCalendarFormatException(line, $"time '{fields[0].Trim()}' is not an ISO 8601 time such as 2024-03-08T13:30:00Z.");
        }

        var currency = fields[1].Trim();
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
        {
            throw new NewsCalendarFormatException(line, $"currency '{currency}' is not a three-letter code such as USD.");
        }

        if (!Enum.TryParse<NewsImpact>(fields[2].Trim(), ignoreCase: true, out var impact) || !Enum.IsDefined(impact) || int.TryParse(fields[2], out _))
        {
            throw new NewsCalendarFormatException(line, $"impact '{fields[2].Trim()}' is not low, medium or high.");
        }

        var title = fields.Length > 3 ? fields[3].Trim().Trim('"') : "";
        return new NewsEvent(DateTime.SpecifyKind(time, DateTimeKind.Utc), currency, impact, title);
    }
}
