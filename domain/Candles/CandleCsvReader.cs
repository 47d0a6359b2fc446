using System.Diagnostics.CodeAnalysis;
using System.Text;
using SignalFlow.Domain;

namespace SignalFlow.Candles;

/// <summary>
/// Reads candle CSV (see <see cref="CandleCsv"/>) row by row from UTF-8. Rows are parsed as bytes, fields as spans of
/// the row, and the common forms of time and price without the general parsers (<see cref="CandleCsv.TryParseSimpleTime"/>,
/// <see cref="CandleCsv.TryParseSimpleDecimal"/>): backtests and optimizations read multi-million-row files, and
/// decoding each row to a string and splitting it cost several times what the strategies do with the candle.
/// Every row is validated as <see cref="Ingestion.CandleValidator"/> says; a bad one is a <see cref="CandleCsvException"/>
/// naming the source and line.
/// </summary>
public sealed class CandleCsvReader : IDisposable
{
    private readonly Stream _stream;
    private readonly Utf8LineReader _lines;
    private readonly Instrument _instrument;
    private readonly Timeframe _timeframe;
    private readonly string _source;
    private readonly int _columnCount;
    private readonly int _timestamp, _open, _high, _low, _close, _volume;
    private readonly Range[] _fields;
    private int _lineNumber = 1;

    /// <summary>Reads the header; the stream is disposed with the reader.</summary>
    public CandleCsvReader(Stream utf8, Instrument instrument, Timeframe timeframe, string source)
    {
        (_stream, _instrument, _timeframe, _source) = (utf8, instrument, timeframe, source);
        _lines = new Utf8LineReader(utf8, utf8.CanSeek ? (int)Math.Clamp(utf8.Length + 1, 256, 1 << 20) : 1 << 20);
        if (!_lines.TryRead(out var headerBytes))
        {
            throw new CandleCsvException($"{source}: the file is empty; expected the header {string.Join(',', CandleCsv.RequiredColumns)}.");
        }

        var header = Encoding.UTF8.GetString(headerBytes);
        var columns = header.Split(',').Select(c => c.Trim().ToLowerInvariant()).ToList();
        var index = CandleCsv.RequiredColumns.ToDictionary(c => c, columns.IndexOf);
        var missing = index.Where(c => c.Value < 0).Select(c => c.Key).ToList();
        if (missing.Count > 0)
        {
            throw new CandleCsvException($"{source}:1: header '{header}' lacks column(s) {string.Join(", ", missing)}.");
        }

        _columnCount = columns.Count;
        (_timestamp, _open, _high, _low, _close, _volume) = (index["timestamp"], index["open"], index["high"], index["low"], index["close"], index["volume"]);
        _fields = new Range[_columnCount];
        EstimatedCount = utf8.CanSeek ? (int)Math.Min(utf8.Length / 48, 1 << 24) : 0;
    }

    public static CandleCsvReader OpenFile(string path, Instrument instrument, Timeframe timeframe)
    {
        if (!File.Exists(path))
        {
            throw new CandleCsvException($"Candle file '{path}' does not exist.");
        }

        var stream = new FileStream(path, new FileStreamOptions { BufferSize = 0, Options = FileOptions.SequentialScan });
        try
        {
            return new CandleCsvReader(stream, instrument, timeframe, path);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>A guess at the number of rows from the stream's length (rows of the bundled files are about 60 bytes).</summary>
    public int EstimatedCount { get; }

    public bool TryRead([NotNullWhen(true)] out Candle? candle)
    {
        while (_lines.TryRead(out var line))
        {
            _lineNumber++;
            if (Ascii.Trim(line).GetOffsetAndLength(line.Length).Length == 0)
            {
                continue;
            }

            var count = Split(line, _fields);
            if (count != _columnCount)
            {
                throw new CandleCsvException($"{_source}:{_lineNumber}: expected {_columnCount} fields, found {count}.");
            }

            candle = new Candle(
                _instrument,
                _timeframe,
                CandleCsv.ParseTime(line[_fields[_timestamp]], _source, _lineNumber),
                CandleCsv.ParsePrice(line[_fields[_open]], "open", _source, _lineNumber),
                CandleCsv.ParsePrice(line[_fields[_high]], "high", _source, _lineNumber),
                CandleCsv.ParsePrice(line[_fields[_low]], "low", _source, _lineNumber),
                CandleCsv.ParsePrice(line[_fields[_close]], "close", _source, _lineNumber),
                CandleCsv.ParseVolume(line[_fields[_volume]], _source, _lineNumber));
            if (Ingestion.CandleValidator.Problem(candle) is { } problem)
            {
                throw new CandleCsvException($"{_source}:{_lineNumber}: {problem}.");
            }

            return true;
        }

        candle = null;
        return false;
    }

    public void Dispose() => _stream.Dispose();

    /// <summary>The comma-separated fields of a row, trimmed, into <paramref name="fields"/>; returns how many the row has (more than fit, if so).</summary>
    private static int Split(ReadOnlySpan<byte> line, Span<Range> fields)
    {
        var count = 0;
        var start = 0;
        while (true)
        {
            var comma = line[start..].IndexOf((byte)',');
            var end = comma < 0 ? line.Length : start + comma;
            if (count < fields.Length)
            {
                var (offset, length) = Ascii.Trim(line[start..end]).GetOffsetAndLength(end - start);
                fields[count] = new Range(start + offset, start + offset + length);
            }

            count++;
            if (comma < 0)
            {
                return count;
            }

            start = end + 1;
        }
    }
}
