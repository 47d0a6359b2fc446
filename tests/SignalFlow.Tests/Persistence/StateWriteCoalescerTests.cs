using SignalFlow.Persistence;

namespace SignalFlow.Tests.Persistence;

public class StateWriteCoalescerTests
{
    [Fact]
    public void A_write_is_due_once_per_the_configured_candles_and_at_once_after_an_effect()
    {
        var writes = new StateWriteCoalescer(candlesPerWrite: 4);
        writes.Processed(3, effects: false);
        Assert.False(writes.WriteDue);
        Assert.True(writes.HasUnwritten);

        writes.Processed(1, effects: false);
        Assert.True(writes.WriteDue);
        writes.Written();
        Assert.False(writes.HasUnwritten);

        writes.Processed(1, effects: true);
        Assert.True(writes.WriteDue);
        writes.Written();
        Assert.False(writes.WriteDue);
    }

    [Fact]
    public void A_poisoned_state_is_never_due_nor_unwritten_so_that_deactivation_leaves_the_last_written_state()
    {
        var writes = new StateWriteCoalescer(candlesPerWrite: 1);
        writes.Processed(5, effects: true);
        writes.Poison();
        Assert.False(writes.WriteDue);
        Assert.False(writes.HasUnwritten);
    }

    [Fact]
    public void One_candle_per_write_writes_after_every_candle()
    {
        var writes = new StateWriteCoalescer(candlesPerWrite: 1);
        writes.Processed(1, effects: false);
        Assert.True(writes.WriteDue);
    }

    [Fact]
    public async Task At_deactivation_only_unwritten_candles_are_written_and_a_failed_write_is_reported_not_thrown()
    {
        var writes = new StateWriteCoalescer(candlesPerWrite: 16);
        var calls = 0;
        var failures = new List<Exception>();
        await writes.WriteUnwrittenAsync(() => { calls++; return Task.CompletedTask; }, failures.Add);
        Assert.Equal(0, calls);

        writes.Processed(3, effects: false);
        await writes.WriteUnwrittenAsync(() => throw new IOException("storage down"), failures.Add);
        Assert.IsType<IOException>(Assert.Single(failures));
        Assert.True(writes.HasUnwritten);

        await writes.WriteUnwrittenAsync(() => { calls++; return Task.CompletedTask; }, failures.Add);
        Assert.Equal(1, calls);
        Assert.False(writes.HasUnwritten);
    }
}
