namespace SignalFlow.Oanda;

/// <summary>
/// Cuts a newline-delimited byte stream into lines whatever the chunking: a chunk may end inside a line (the rest
/// waits for the next chunk) or hold many lines. Blank lines are skipped. A line longer than the limit is dropped
/// up to its newline and counted, so a broken peer cannot grow the buffer without bound.
/// </summary>
public sealed class NdjsonLineSplitter(int maxLineBytes = NdjsonLineSplitter.DefaultMaxLineBytes)
{
    /// <summary>OANDA price lines are a few hundred bytes; 64 KiB leaves room for deep order books.</summary>
    public const int DefaultMaxLineBytes = 64 * 1024;

    private byte[] _pending = new byte[1024];
    private int _pendingLength;
    private bool _skippingOversizedLine;

    /// <summary>Lines dropped because they exceeded the limit.</summary>
    public long OversizedLinesDropped { get; private set; }

    /// <summary>Bytes of an unfinished line waiting for its newline.</summary>
    public int PendingBytes => _pendingLength;

    /// <summary>
    /// Appends a chunk and hands each line it completes to <paramref name="onLine"/>, in order, without its line
    /// terminator. A line that lies wholly inside the chunk is handed over in place, without a copy; the span is
    /// valid only during the call.
    /// </summary>
    public void Push(ReadOnlySpan<byte> chunk, LineHandler onLine)
    {
        while (!chunk.IsEmpty)
        {
            var newline = chunk.IndexOf((byte)'\n');
            if (newline < 0)
            {
                Append(chunk);
                break;
            }

            Complete(chunk[..newline], onLine);
            chunk = chunk[(newline + 1)..];
        }
    }

    /// <summary>Ends the line whose last part (before its newline) is <paramref name="part"/>.</summary>
    private void Complete(ReadOnlySpan<byte> part, LineHandler onLine)
    {
        ReadOnlySpan<byte> line;
        if (_pendingLength == 0 && !_skippingOversizedLine)
        {
            if (part.Length > maxLineBytes)
            {
                OversizedLinesDropped++;
                return;
            }

            line = part;
        }
        else
        {
            Append(part);
            if (_skippingOversizedLine)
            {
                _skippingOversizedLine = false;
                return;
            }

            line = _pending.AsSpan(0, _pendingLength);
            _pendingLength = 0;
        }

        line = line.TrimEnd((byte)'\r');
        if (!line.IsEmpty && !line.IsWhiteSpaceUtf8())
        {
            onLine(line);
        }
    }

    private void Append(ReadOnlySpan<byte> part)
    {
        if (_skippingOversizedLine)
        {
            return;
        }

        if (_pendingLength + part.Length > maxLineBytes)
        {
            _skippingOversizedLine = true;
            _pendingLength = 0;
            OversizedLinesDropped++;
            return;
        }

        if (_pendingLength + part.Length > _pending.Length)
        {
            Array.Resize(ref _pending, Math.Min(maxLineBytes, Math.Max(_pending.Length * 2, _pendingLength + part.Length)));
        }

        part.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength += part.Length;
    }
}

/// <summary>Receives one line of a newline-delimited stream; the span is valid only during the call.</summary>
public delegate void LineHandler(ReadOnlySpan<byte> line);

internal static class Utf8SpanExtensions
{
    public static bool IsWhiteSpaceUtf8(this ReadOnlySpan<byte> bytes) => bytes.IndexOfAnyExcept(" \t\r"u8) < 0;
}
