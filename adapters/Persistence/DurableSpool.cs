using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SignalFlow.Persistence;

/// <summary>
/// An append-only file of opaque records, fsync'd on every append, consumed from the head in order.
/// Each record is framed as <c>magic (4) | payload length (4, LE) | checksum (8: SHA-256 prefix of the payload) | payload</c>.
/// Opening the file recovers every intact record; a torn tail (a crash mid-append) is cut off and corrupt records in
/// the middle are skipped, both counted in <see cref="DiscardedRecords"/>. Not thread-safe: callers serialize access.
/// </summary>
public sealed class DurableSpool : IDisposable
{
    public const int MaxPayloadBytes = 64 * 1024 * 1024;

    private const uint Magic = 0x50534653; // "SFSP"
    private const int HeaderBytes = 16;
    private const int ChecksumBytes = 8;

    private readonly string _path;
    private readonly List<byte[]> _records = [];
    private FileStream _file;
    private int _head;

    public DurableSpool(string path)
    {
        _path = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        Recover(File.Exists(_path) ? File.ReadAllBytes(_path) : []);
        _file = new FileStream(_path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        if (DiscardedRecords > 0)
        {
            // Leave only intact frames on disk, so the damage is counted once and new appends follow a clean record.
            Rewrite();
        }

        _file.Seek(0, SeekOrigin.End);
    }

    /// <summary>Records not yet consumed.</summary>
    public int Count => _records.Count - _head;

    /// <summary>Torn or corrupt records found when the file was opened and skipped.</summary>
    public long DiscardedRecords { get; private set; }

    /// <summary>Writes the record and returns once it is on disk.</summary>
    public void Append(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > MaxPayloadBytes)
        {
            throw new ArgumentException($"Spool record of {payload.Length} bytes exceeds the {MaxPayloadBytes}-byte limit.", nameof(payload));
        }

        var frame = Frame(payload);
        var end = _file.Length;
        try
        {
            _file.Write(frame);
            _file.Flush(flushToDisk: true);
        }
        catch
        {
            // Leave no half-written frame behind for the next append to follow.
            _file.SetLength(end);
            _file.Seek(0, SeekOrigin.End);
            throw;
        }

        _records.Add(payload.ToArray());
    }

    /// <summary>The unconsumed records, oldest first.</summary>
    public IReadOnlyList<byte[]> Pending() => _records.GetRange(_head, Count);

    public byte[] Peek() => Count > 0 ? _records[_head] : throw new InvalidOperationException("The spool is empty.");

    /// <summary>
    /// Marks the head record consumed (in memory). The file keeps it until <see cref="Compact"/>: a crash before that
    /// replays it again, which consumers must tolerate (writes are idempotent).
    /// </summary>
    public void ConsumeHead()
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("The spool is empty.");
        }

        _records[_head++] = [];
    }

    /// <summary>Drops consumed records from the file: truncates it when nothing is left, else rewrites the rest atomically.</summary>
    public void Compact()
    {
        if (_head == 0)
        {
            return;
        }

        _records.RemoveRange(0, _head);
        _head = 0;
        Rewrite();
    }

    public void Dispose() => _file.Dispose();

    private void Rewrite()
    {
        if (_records.Count == 0)
        {
            _file.SetLength(0);
            _file.Flush(flushToDisk: true);
            return;
        }

        var temporary = _path + ".compact";
        using (var rewrite = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            foreach (var record in _records)
            {
                rewrite.Write(Frame(record));
            }

            rewrite.Flush(flushToDisk: true);
        }

        _file.Dispose();
        File.Move(temporary, _path, overwrite: true);
        _file = new FileStream(_path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        _file.Seek(0, SeekOrigin.End);
    }

    /// <summary>Loads the intact records, counting what is skipped.</summary>
    private void Recover(ReadOnlySpan<byte> content)
    {
        var position = 0;
        while (position < content.Length)
        {
            if (TryReadFrame(content[position..], out var payload, out var frameLength))
            {
                _records.Add(payload);
                position += frameLength;
                continue;
            }

            // Corrupt or torn: resume at the next offset holding an intact frame, if any.
            var next = NextFrame(content, position + 1);
            DiscardedRecords++;
            if (next < 0)
            {
                break;
            }

            position = next;
        }
    }

    private static int NextFrame(ReadOnlySpan<byte> content, int from)
    {
        Span<byte> magic = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(magic, Magic);
        while (from < content.Length)
        {
            var found = content[from..].IndexOf(magic);
            if (found < 0)
            {
                return -1;
            }

            if (TryReadFrame(content[(from + found)..], out _, out _))
            {
                return from + found;
            }

            from += found + 1;
        }

        return -1;
    }

    private static bool TryReadFrame(ReadOnlySpan<byte> content, out byte[] payload, out int frameLength)
    {
        payload = [];
        frameLength = 0;
        if (content.Length < HeaderBytes || BinaryPrimitives.ReadUInt32LittleEndian(content) != Magic)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(content[4..]);
        if (length < 0 || length > MaxPayloadBytes || content.Length - HeaderBytes < length)
        {
            return false;
        }

        var body = content.Slice(HeaderBytes, length);
        Span<byte> checksum = stackalloc byte[ChecksumBytes];
        Checksum(body, checksum);
        if (!checksum.SequenceEqual(content.Slice(8, ChecksumBytes)))
        {
            return false;
        }

        payload = body.ToArray();
        frameLength = HeaderBytes + length;
        return true;
    }

    private static byte[] Frame(ReadOnlySpan<byte> payload)
    {
        var frame = new byte[HeaderBytes + payload.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(4), payload.Length);
        Checksum(payload, frame.AsSpan(8, ChecksumBytes));
        payload.CopyTo(frame.AsSpan(HeaderBytes));
        return frame;
    }

    private static void Checksum(ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(payload, hash);
        hash[..ChecksumBytes].CopyTo(destination);
    }
}
