using System.Globalization;
using System.Text.RegularExpressions;

namespace SignalFlow.Candles;

/// <summary>OANDA writes RFC 3339 times with up to 9 fractional digits; .NET parses at most 7.</summary>
public static partial class Rfc3339
{
    public static string TrimExcessFraction(string text) => ExcessFraction().Replace(text, "$1");

    public static bool TryParseUtc(string? text, out DateTime utc)
    {
        utc = default;
        if (text is null
            || !DateTimeOffset.TryParse(TrimExcessFraction(text), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return false;
        }

        utc = parsed.UtcDateTime;
        return true;
    }

    [GeneratedRegex(@"(\.\d{7})\d+", RegexOptions.CultureInvariant)]
    private static partial Regex ExcessFraction();
}
