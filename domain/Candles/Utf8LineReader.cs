namespace SignalFlow.Candles;

/// <summary>
/// Lines of a UTF-8 stream as byte spans, without decoding or a string per line (a leading byte-order mark and the
/// <c>\r</c> of <c>\r\n</c> are dropped). A span is valid until the next <see cref="TryRead"/>. StreamReader and
/// PipeReader both hand out text or segments that would need copying per line; this is the few lines that avoid it.
/// </summary>
public sealed class Utf8LineReader(Stream stream, int bufferSize = 1 << 20)
{
    private byte[] _buffer = new byte[bufferSize];
    private int _start;
    private int _end;
    private bool _endOfStream;
    private bool _first = true;

    public bool TryRead(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = Take(newline, newline + 1);
                return true;
            }

            if (_endOfStream)
            {
                if (_start == _end)
                {
                    line = default;
                    return false;
                }

                line = Take(_end - _start, _end - _start);
                return true;
            }

            Fill();
        }
    }

    private ReadOnlySpan<byte> Take(int length, int consumed)
    {
        var line = _buffer.AsSpan(_start, length);
        _start += consumed;
        if (line.EndsWith((byte)'\r'))
        {
            line = line[..^1];
        }

        if (_first)
        {
            _first = false;
            if (line.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            {
                line = line[3..];
            }
        }

        return line;
    }

    private void Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            // A line longer than the buffer: grow rather than split it.
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var read = stream.Read(_buffer, _end, _buffer.Length - _end);
        _endOfStream = read == 0;
        _end += read;
    }
}
