using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace SignalFlow.Validation;

/// <summary>
/// When signals may be issued: any of a set of windows, each a named forex session (its local business hours in its
/// own time zone, so it follows that zone's daylight saving) or a fixed range of UTC hours. No window means any time.
/// </summary>
public sealed class TradingSessions
{
    /// <summary>Accepted in place of a session list to lift a global restriction for one strategy.</summary>
    public const string AnyTime = "Any";

    /// <summary>The named sessions: local opening and closing hours in the session's time zone (IANA id).</summary>
    private static readonly Dictionary<string, (string Zone, TimeSpan Open, TimeSpan Close)> Named = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Sydney"] = ("Australia/Sydney", TimeSpan.FromHours(7), TimeSpan.FromHours(16)),
        ["Tokyo"] = ("Asia/Tokyo", TimeSpan.FromHours(9), TimeSpan.FromHours(18)),
        ["London"] = ("Europe/London", TimeSpan.FromHours(8), TimeSpan.FromHours(17)),
        ["NewYork"] = ("America/New_York", TimeSpan.FromHours(8), TimeSpan.FromHours(17)),
    };

    private readonly List<Window> _windows;

    private TradingSessions(List<Window> windows) => _windows = windows;

    public static TradingSessions Always { get; } = new([]);

    public static IEnumerable<string> SessionNames => Named.Keys;

    /// <summary>True when no window restricts the time.</summary>
    public bool IsUnrestricted => _windows.Count == 0;

    /// <summary>
    /// Parses session names (<c>Sydney</c>, <c>Tokyo</c>, <c>London</c>, <c>NewYork</c> or <c>New York</c>) and UTC
    /// ranges <c>HH:mm-HH:mm</c> (start inclusive, end exclusive, may wrap midnight); <c>Any</c> alone means any time.
    /// </summary>
    public static bool TryParse(IEnumerable<string> entries, [NotNullWhen(true)] out TradingSessions? sessions, [NotNullWhen(false)] out string? error)
    {
        sessions = null;
        var list = entries.Select(e => e.Trim()).ToList();
        if (list.Count == 1 && string.Equals(list[0], AnyTime, StringComparison.OrdinalIgnoreCase))
        {
            sessions = Always;
            error = null;
            return true;
        }

        List<Window> windows = [];
        foreach (var entry in list)
        {
            if (Named.TryGetValue(entry.Replace(" ", "", StringComparison.Ordinal), out var named))
            {
                windows.Add(new Window(entry, TimeZoneInfo.FindSystemTimeZoneById(named.Zone), named.Open, named.Close));
            }
            else if (TryParseUtcRange(entry, out var from, out var to))
            {
                windows.Add(new Window($"{entry} UTC", TimeZoneInfo.Utc, from, to));
            }
            else
            {
                error = $"'{entry}' is neither a session ({string.Join(", ", Named.Keys)}), '{AnyTime}' alone, nor a UTC range HH:mm-HH:mm.";
                return false;
            }
        }

        sessions = new TradingSessions(windows);
        error = null;
        return true;
    }

    public static TradingSessions Parse(IEnumerable<string> entries) =>
        TryParse(entries, out var sessions, out var error) ? sessions : throw new FormatException(error);

    /// <summary>Whether <paramref name="utc"/> falls in one of the windows (always, when there are none).</summary>
    public bool Allows(DateTime utc) => IsUnrestricted || _windows.Any(w => w.Contains(utc));

    public override string ToString() => IsUnrestricted ? AnyTime : string.Join(", ", _windows.Select(w => w.Name));

    private static bool TryParseUtcRange(string entry, out TimeSpan from, out TimeSpan to)
    {
        (from, to) = (default, default);
        var parts = entry.Split('-');
        return parts.Length == 2
            && TimeSpan.TryParseExact(parts[0].Trim(), @"hh\:mm", CultureInfo.InvariantCulture, out from)
            && TimeSpan.TryParseExact(parts[1].Trim(), @"hh\:mm", CultureInfo.InvariantCulture, out to)
            && from != to;
    }

    private sealed record Window(string Name, TimeZoneInfo Zone, TimeSpan Open, TimeSpan Close)
    {
        public bool Contains(DateTime utc)
        {
            var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone).TimeOfDay;
            return Open < Close ? local >= Open && local < Close : local >= Open || local < Close;
        }
    }
}
