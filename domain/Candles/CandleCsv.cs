using System.Globalization;
using System.Text.RegularExpressions;
using SignalFlow.Domain;

namespace SignalFlow.Candles;

/// <summary>
/// Reads closed candles from CSV with the header <c>timestamp,open,high,low,close,volume</c> (the layout of the
/// bundled OANDA samples). Times are UTC; a time without an offset is taken as UTC.
/// </summary>
public static partial class CandleCsv
{
    private static readonly string[] RequiredColumns = ["timestamp", "open", "high", "low", "close", "volume"];

    public static IReadOnlyList<Candle> ReadFile(string path, Instrument instrument, Timeframe timeframe)
    {
        if (!File.Exists(path))
        {
            throw new CandleCsvException($"Candle file '{path}' does not exist.");
        }

        using var reader = new StreamReader(path);
        return Read(reader, instrument, timeframe, path);
    }

    public static IReadOnlyList<Candle> Read(TextReader reader, Instrument instrument, Timeframe timeframe, string source)
    {
        var header = reader.ReadLine();
        if (header is null)
        {
            throw new CandleCsvException($"{source}: the file is empty; expected the header {string.Join(',', RequiredColumns)}.");
        }

        var columns = header.Split(',').Select(c => c.Trim().ToLowerInvariant()).ToList();
        var index = RequiredColumns.ToDictionary(c => c, columns.IndexOf);
        var missing = index.Where(c => c.Value < 0).Select(c => c.Key).ToList();
        if (missing.Count > 0)
        {
            throw new CandleCsvException($"{source}:1: header '{header}' lacks column(s) {string.Join(", ", missing)}.");
        }

        var candles = new List<Candle>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var fields = line.Split(',');
            if (fields.Length != columns.Count)
            {
                throw new CandleCsvException($"{source}:{lineNumber}: expected {columns.Count} fields, found {fields.Length}.");
            }

            string Field(string name) => fields[index[name]].Trim();
            var time = ParseTime(Field("timestamp"), source, lineNumber);
            var candle = new Candle(
                instrument,
                timeframe,
                time,
                ParsePrice(Field("open"), "open", source, lineNumber),
                ParsePrice(Field("high"), "high", source, lineNumber),
                ParsePrice(Field("low"), "low", source, lineNumber),
                ParsePrice(Field("close"), "close", source, lineNumber),
                ParseVolume(Field("volume"), source, lineNumber));
            if (Ingestion.CandleValidator.Problem(candle) is { } problem)
            {
                throw new CandleCsvException($"{source}:{lineNumber}: {problem}.");
            }

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

    internal static DateTime ParseTime(string text, string source, int lineNumber)
    {
        if (!DateTimeOffset.TryParse(Rfc3339.TrimExcessFraction(text), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var time))
        {
            throw new CandleCsvException($"{source}:{lineNumber}: timestamp '{text}' is not a date and time (e.g. 2023-01-02 22:00:00+00:00).");
        }

        return time.UtcDateTime;
    }

    private static double ParsePrice(string text, string column, string source, int lineNumber) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new CandleCsvException($"{source}:{lineNumber}: {column} '{text}' is not a number.");

    private static long ParseVolume(string text, string source, int lineNumber) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && value == Math.Floor(value) && value <= long.MaxValue
            ? (long)value
            : throw new CandleCsvException($"{source}:{lineNumber}: volume '{text}' is not a whole non-negative number.");

    [GeneratedRegex(@"^(?<instrument>[A-Z0-9]{2,10}_[A-Z]{3})_(?<timeframe>[A-Z]\d{0,2})(_.*)?\.csv$", RegexOptions.CultureInvariant)]
    private static partial Regex SeriesFileName();
}

public sealed class CandleCsvException(string message) : Exception(message);
