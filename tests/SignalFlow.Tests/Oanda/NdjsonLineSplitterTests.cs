using System.Text;
using SignalFlow.Oanda;

namespace SignalFlow.Tests.Oanda;

public class NdjsonLineSplitterTests
{
    private const string Stream = "{\"type\":\"HEARTBEAT\",\"time\":\"2023-03-10T18:00:00.000000000Z\"}\n{\"a\":\"é\"}\r\n\n{\"b\":2}\n";

    [Fact]
    public void Returns_the_same_lines_wherever_the_chunks_split()
    {
        var bytes = Encoding.UTF8.GetBytes(Stream);
        for (var cut = 0; cut <= bytes.Length; cut++)
        {
            var splitter = new NdjsonLineSplitter();
            var lines = Lines(splitter, bytes.AsSpan(0, cut)).Concat(Lines(splitter, bytes.AsSpan(cut))).ToList();

            Assert.Equal(["{\"type\":\"HEARTBEAT\",\"time\":\"2023-03-10T18:00:00.000000000Z\"}", "{\"a\":\"é\"}", "{\"b\":2}"], lines);
            Assert.Equal(0, splitter.PendingBytes);
        }
    }

    [Fact]
    public void Keeps_an_unfinished_line_until_its_newline_arrives_byte_by_byte()
    {
        var splitter = new NdjsonLineSplitter();
        var lines = new List<string>();
        foreach (var b in Encoding.UTF8.GetBytes("{\"x\":1}\n{\"y\""))
        {
            lines.AddRange(Lines(splitter, [b]));
        }

        Assert.Equal(["{\"x\":1}"], lines);
        Assert.Equal(4, splitter.PendingBytes);
        Assert.Equal(["{\"y\":2}"], Lines(splitter, ":2}\n"u8));
    }

    [Fact]
    public void Drops_and_counts_an_oversized_line_then_continues()
    {
        var splitter = new NdjsonLineSplitter(maxLineBytes: 8);

        var first = Lines(splitter, "{\"x\":1}\n0123456"u8);
        var second = Lines(splitter, "789abcdef\n{\"z\":3}\n"u8);

        Assert.Equal(["{\"x\":1}"], first);
        Assert.Equal(["{\"z\":3}"], second);
        Assert.Equal(1, splitter.OversizedLinesDropped);
    }

    [Fact]
    public void Drops_an_oversized_line_that_lies_wholly_inside_one_chunk()
    {
        var splitter = new NdjsonLineSplitter(maxLineBytes: 8);

        Assert.Equal(["{\"x\":1}", "{\"z\":3}"], Lines(splitter, "{\"x\":1}\n0123456789\n{\"z\":3}\n"u8));
        Assert.Equal(1, splitter.OversizedLinesDropped);
    }

    private static List<string> Lines(NdjsonLineSplitter splitter, ReadOnlySpan<byte> chunk)
    {
        var lines = new List<string>();
        splitter.Push(chunk, line => lines.Add(Encoding.UTF8.GetString(line)));
        return lines;
    }
}
