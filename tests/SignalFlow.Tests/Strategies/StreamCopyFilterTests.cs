using SignalFlow.Strategies;

namespace SignalFlow.Tests.Strategies;

public sealed class StreamCopyFilterTests
{
    private static readonly DateTime Start = new(2024, 3, 4, 0, 0, 0, DateTimeKind.Utc);

    private static DateTime At(int hours) => Start.AddHours(hours);

    [Fact]
    public void The_copies_of_a_delivered_batch_are_recognized_once_and_the_batch_is_forgotten_after_its_last_candle()
    {
        var filter = new StreamCopyFilter();
        filter.Delivered(At(4), At(12));

        Assert.False(filter.IsCopy(At(0)));
        Assert.Equal([true, true, true], new[] { At(4), At(8), At(12) }.Select(filter.IsCopy));
        Assert.False(filter.IsCopy(At(12)));
    }

    [Fact]
    public void A_batch_whose_copy_never_came_is_forgotten_once_a_later_candle_arrives()
    {
        var filter = new StreamCopyFilter();
        filter.Delivered(At(0), At(4));
        filter.Delivered(At(8), At(8));

        Assert.True(filter.IsCopy(At(8)));
        Assert.False(filter.IsCopy(At(4)));
        Assert.False(filter.IsCopy(At(0)));
    }

    [Fact]
    public void A_candle_between_delivered_batches_is_not_a_copy()
    {
        var filter = new StreamCopyFilter();
        filter.Delivered(At(0), At(4));
        filter.Delivered(At(12), At(16));

        Assert.True(filter.IsCopy(At(0)));
        Assert.False(filter.IsCopy(At(8)));
        Assert.True(filter.IsCopy(At(12)));
    }

    [Fact]
    public void Only_the_newest_batches_up_to_the_capacity_are_remembered()
    {
        var filter = new StreamCopyFilter();
        for (var i = 0; i <= StreamCopyFilter.Capacity; i++)
        {
            filter.Delivered(At(i), At(i));
        }

        Assert.False(filter.IsCopy(At(0)));
        Assert.True(filter.IsCopy(At(1)));
        Assert.True(filter.IsCopy(At(StreamCopyFilter.Capacity)));
    }
}
