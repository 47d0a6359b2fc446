using System.Text;

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

    /// <summary>Appends a chunk and returns the lines it completed, in order, without their line terminators.</summary>
    public IReadOnlyList<string> Push(ReadOnlySpan<byte> chunk)
    {
        List<string>? lines = null;
        while (!chunk.IsEmpty)
        {
            var newline = chunk.IndexOf((byte)'\n');
            var part = newline < 0 ? chunk : chunk[..newline];
            Append(part);
            if (newline < 0)
            {
                break;
            }

            if (TakeLine() is { } line)
            {
                (lines ??= []).Add(line);
            }

            chunk = chunk[(newline + 1)..];
        }

        return lines ?? (IReadOnlyList<string>)[];
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

    private string? TakeLine()
    {
        if (_skippingOversizedLine)
        {
            _skippingOversizedLine = false;
            return null;
        }

        var line = _pending.AsSpan(0, _pendingLength).TrimEnd((byte)'\r');
        _pendingLength = 0;
        return line.IsEmpty || line.IsWhiteSpaceUtf8() ? null : Encoding.UTF8.GetString(line);
    }
}

internal static class Utf8SpanExtensions
{
    public static bool IsWhiteSpaceUtf8(this ReadOnlySpan<byte> bytes) => bytes.IndexOfAnyExcept(" \t\r"u8) < 0;
}
