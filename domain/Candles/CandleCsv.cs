using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using SignalFlow.Domain;

namespace SignalFlow.Candles;

/// <summary>
/// Reads closed candles from CSV with the header <c>timestamp,open,high,low,close,volume</c> (the layout of the
/// bundled OANDA samples). Times are UTC; a time without an offset is taken as UTC.
/// </summary>
public static partial class CandleCsv
{
    internal static readonly string[] RequiredColumns = ["timestamp", "open", "high", "low", "close", "volume"];

    public static IReadOnlyList<Candle> ReadFile(string path, Instrument instrument, Timeframe timeframe)
    {
        using var reader = CandleCsvReader.OpenFile(path, instrument, timeframe);
        return ReadAll(reader);
    }

    public static IReadOnlyList<Candle> Read(TextReader reader, Instrument instrument, Timeframe timeframe, string source) =>
        Read(new MemoryStream(Encoding.UTF8.GetBytes(reader.ReadToEnd())), instrument, timeframe, source);

    public static IReadOnlyList<Candle> Read(Stream utf8, Instrument instrument, Timeframe timeframe, string source)
    {
        using var reader = new CandleCsvReader(utf8, instrument, timeframe, source);
        return ReadAll(reader);
    }

    /// <summary>
    /// The candles of a file one at a time, read as they are enumerated (a bad row throws when it is reached): a
    /// backtest over millions of rows then never holds them all, and each candle dies young.
    /// </summary>
    public static IEnumerable<Candle> StreamFile(string path, Instrument instrument, Timeframe timeframe)
    {
        using var reader = CandleCsvReader.OpenFile(path, instrument, timeframe);
        while (reader.TryRead(out var candle))
        {
            yield return candle;
        }
    }

    private static List<Candle> ReadAll(CandleCsvReader reader)
    {
        var candles = new List<Candle>(reader.EstimatedCount);
        while (reader.TryRead(out var candle))
        {
            candles.Add(candle);
        }

        return candles;
    }

    /// <summary>
    /// Infers the series from a file name such as <c>EUR_USD_H4_2023-2024.csv</c> or <c>EUR_USD_H4.csv</c>.
    /// </summary>
    public static SeriesKey? SeriesFromFileName(string path)
    {
        var match = SeriesFileName().Match(Path.GetFileName(path));
        return match.Success && SeriesKey.TryParse($"{match.Groups["instrument"].Value}_{match.Groups["timeframe"].Value}", out var series, out _)
            ? series
            : null;
    }

    internal static DateTime ParseTime(ReadOnlySpan<byte> text, string source, int lineNumber) =>
        TryParseSimpleTime(text, out var simple) ? simple : ParseTime(Encoding.UTF8.GetString(text), source, lineNumber);

    internal static DateTime ParseTime(string text, string source, int lineNumber)
    {
        if (!DateTimeOffset.TryParse(Rfc3339.TrimExcessFraction(text), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var time))
        {
            throw new CandleCsvException($"{source}:{lineNumber}: timestamp '{text}' is not a date and time (e.g. 2023-01-02 22:00:00+00:00).");
        }

        return time.UtcDateTime;
    }

    /// <summary>
    /// <c>yyyy-MM-dd HH:mm:ss</c> (or with <c>T</c>), then nothing, <c>Z</c> or <c>+00:00</c>: the bundled files' form
    /// and OANDA's, read in a few nanoseconds; anything else (offsets, fractions) goes to the general parser, which
    /// gives the same time for these forms.
    /// </summary>
    internal static bool TryParseSimpleTime(ReadOnlySpan<byte> text, out DateTime utc)
    {
        utc = default;
        var suffix = text.Length > 19 ? text[19..] : [];
        if (text.Length < 19 || text[4] != '-' || text[7] != '-' || text[10] is not ((byte)' ' or (byte)'T') || text[13] != ':' || text[16] != ':'
            || !(suffix.IsEmpty || suffix.SequenceEqual("Z"u8) || suffix.SequenceEqual("+00:00"u8)))
        {
            return false;
        }

        if (!TryDigits(text[..4], out var year) || !TryDigits(text[5..7], out var month) || !TryDigits(text[8..10], out var day)
            || !TryDigits(text[11..13], out var hour) || !TryDigits(text[14..16], out var minute) || !TryDigits(text[17..19], out var second)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        utc = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> text, out int value)
    {
        var valid = TryWholeNumber(text, out var whole);
        value = (int)whole;
        return valid;
    }

    private static readonly double[] PowersOfTen = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    /// <summary>
    /// Plain decimals (<c>1.06985</c>) of at most 15 digits: the digits as an integer divided by a power of ten. Both
    /// are exact doubles and IEEE division rounds correctly, so the result is the correctly rounded value, the one
    /// <see cref="double.Parse(string)"/> gives; signs, exponents and longer numbers go to the general parser.
    /// </summary>
    internal static bool TryParseSimpleDecimal(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        long digits = 0;
        var count = 0;
        var decimals = -1;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit((char)c))
            {
                if (++count > 15)
                {
                    return false;
                }

                digits = (digits * 10) + (c - '0');
                if (decimals >= 0)
                {
                    decimals++;
                }
            }
            else if (c == '.' && decimals < 0)
            {
                decimals = 0;
            }
            else
            {
                return false;
            }
        }

        if (count == 0)
        {
            return false;
        }

        value = digits / PowersOfTen[Math.Max(decimals, 0)];
        return true;
    }

    internal static double ParsePrice(ReadOnlySpan<byte> text, string column, string source, int lineNumber) =>
        TryParseSimpleDecimal(text, out var value)
        || (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value))
            ? value
            : throw new CandleCsvException($"{source}:{lineNumber}: {column} '{Encoding.UTF8.GetString(text)}' is not a number.");

    internal static long ParseVolume(ReadOnlySpan<byte> text, string source, int lineNumber)
    {
        if (text.Length is > 0 and <= 18 && TryWholeNumber(text, out var whole))
        {
            return whole;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && value == Math.Floor(value) && value <= long.MaxValue
            ? (long)value
            : throw new CandleCsvException($"{source}:{lineNumber}: volume '{Encoding.UTF8.GetString(text)}' is not a whole non-negative number.");
    }

    private static bool TryWholeNumber(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit((char)c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    [GeneratedRegex(@"^(?<instrument>[A-Z0-9]{2,10}_[A-Z]{3})_(?<timeframe>[A-Z]\d{0,2})(_.*)?\.csv$", RegexOptions.CultureInvariant)]
    private static partial Regex SeriesFileName();
}

public sealed class CandleCsvException(string message) : Exception(message);
