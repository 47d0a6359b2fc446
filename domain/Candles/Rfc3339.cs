using System.Globalization;
using System.Text;
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

    /// <summary>
    /// The same result as the string overload. The form OANDA writes (<c>2023-03-10T18:00:01.123456789Z</c>: a UTC
    /// time, up to nine fractional digits, the eighth and ninth dropped) is read directly from the UTF-8 bytes; any
    /// other form goes through the string overload's general parse.
    /// </summary>
    public static bool TryParseUtc(ReadOnlySpan<byte> utf8, out DateTime utc) =>
        TryParseZulu(utf8, out utc) || TryParseUtc(Encoding.UTF8.GetString(utf8), out utc);

    /// <summary><c>yyyy-MM-ddTHH:mm:ss[.f+]Z</c> with valid fields, else false (left to the general parse).</summary>
    private static bool TryParseZulu(ReadOnlySpan<byte> text, out DateTime utc)
    {
        utc = default;
        if (text.Length < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[^1] != 'Z'
            || !TryDigits(text[..4], out var year) || !TryDigits(text.Slice(5, 2), out var month) || !TryDigits(text.Slice(8, 2), out var day)
            || !TryDigits(text.Slice(11, 2), out var hour) || !TryDigits(text.Slice(14, 2), out var minute) || !TryDigits(text.Slice(17, 2), out var second)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var fraction = text[19..^1];
        var fractionTicks = 0;
        if (!fraction.IsEmpty)
        {
            var digits = fraction[1..];
            if (fraction[0] != '.' || digits.IsEmpty || !TryDigits(digits[..Math.Min(digits.Length, 7)], out fractionTicks) || digits.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
            {
                return false;
            }

            for (var scale = Math.Min(digits.Length, 7); scale < 7; scale++)
            {
                fractionTicks *= 10;
            }
        }

        utc = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(fractionTicks);
        return true;
    }

    /// <summary>At most nine ASCII digits.</summary>
    private static bool TryDigits(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        foreach (var digit in digits)
        {
            if (digit is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = value * 10 + (digit - '0');
        }

        return true;
    }

    [GeneratedRegex(@"(\.\d{7})\d+", RegexOptions.CultureInvariant)]
    private static partial Regex ExcessFraction();
}
