using System.Text;
using SignalFlow.Persistence;

namespace SignalFlow.Tests.Persistence;

public sealed class DurableSpoolTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("signalflow-spool-").FullName;

    private string SpoolPath => Path.Combine(_directory, "test.spool");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Records_survive_reopening_in_order()
    {
        using (var spool = new DurableSpool(SpoolPath))
        {
            for (var i = 0; i < 5; i++)
            {
                spool.Append(Record(i));
            }
        }

        using var reopened = new DurableSpool(SpoolPath);

        Assert.Equal(Enumerable.Range(0, 5).Select(Text), reopened.Pending().Select(Encoding.UTF8.GetString));
        Assert.Equal(0, reopened.DiscardedRecords);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(17)]
    public void A_torn_last_record_is_skipped_counted_and_cut_off(int bytesLost)
    {
        using (var spool = new DurableSpool(SpoolPath))
        {
            spool.Append(Record(0));
            spool.Append(Record(1));
            spool.Append(Record(2));
        }

        TruncateBy(bytesLost);

        using (var recovered = new DurableSpool(SpoolPath))
        {
            Assert.Equal([Text(0), Text(1)], recovered.Pending().Select(Encoding.UTF8.GetString));
            Assert.Equal(1, recovered.DiscardedRecords);
            recovered.Append(Record(3));
        }

        using var reopened = new DurableSpool(SpoolPath);
        Assert.Equal([Text(0), Text(1), Text(3)], reopened.Pending().Select(Encoding.UTF8.GetString));
        Assert.Equal(0, reopened.DiscardedRecords);
    }

    [Fact]
    public void A_corrupt_record_in_the_middle_is_skipped_and_the_rest_kept()
    {
        using (var spool = new DurableSpool(SpoolPath))
        {
            spool.Append(Record(0));
            spool.Append(Record(1));
            spool.Append(Record(2));
        }

        var bytes = File.ReadAllBytes(SpoolPath);
        var second = Encoding.UTF8.GetBytes(Text(1));
        var at = bytes.AsSpan().IndexOf(second);
        bytes[at + 3] ^= 0xFF;
        File.WriteAllBytes(SpoolPath, bytes);

        using var recovered = new DurableSpool(SpoolPath);

        Assert.Equal([Text(0), Text(2)], recovered.Pending().Select(Encoding.UTF8.GetString));
        Assert.Equal(1, recovered.DiscardedRecords);
    }

    [Fact]
    public void Consumed_records_leave_the_file_on_compaction()
    {
        using (var spool = new DurableSpool(SpoolPath))
        {
            spool.Append(Record(0));
            spool.Append(Record(1));
            spool.Append(Record(2));
            spool.ConsumeHead();
            spool.Compact();
            Assert.Equal([Text(1), Text(2)], spool.Pending().Select(Encoding.UTF8.GetString));
            spool.Append(Record(3));
        }

        using (var reopened = new DurableSpool(SpoolPath))
        {
            Assert.Equal([Text(1), Text(2), Text(3)], reopened.Pending().Select(Encoding.UTF8.GetString));
            reopened.ConsumeHead();
            reopened.ConsumeHead();
            reopened.ConsumeHead();
            reopened.Compact();
            Assert.Equal(0, reopened.Count);
        }

        Assert.Equal(0, new FileInfo(SpoolPath).Length);
    }

    [Fact]
    public void Consumed_but_not_compacted_records_are_replayed_after_a_crash()
    {
        using (var spool = new DurableSpool(SpoolPath))
        {
            spool.Append(Record(0));
            spool.ConsumeHead();
        }

        using var reopened = new DurableSpool(SpoolPath);

        Assert.Equal([Text(0)], reopened.Pending().Select(Encoding.UTF8.GetString));
    }

    [Fact]
    public void Peeking_or_consuming_an_empty_spool_is_an_error()
    {
        using var spool = new DurableSpool(SpoolPath);

        Assert.Throws<InvalidOperationException>(() => spool.Peek());
        Assert.Throws<InvalidOperationException>(() => spool.ConsumeHead());
    }

    private void TruncateBy(int bytes)
    {
        using var file = new FileStream(SpoolPath, FileMode.Open);
        file.SetLength(file.Length - bytes);
    }

    private static string Text(int i) => $"{{\"record\":{i},\"padding\":\"{new string('x', i)}\"}}";

    private static byte[] Record(int i) => Encoding.UTF8.GetBytes(Text(i));
}
