using SignalFlow.Indicators;

namespace SignalFlow.Tests.Indicators;

public class RollingWindowTests
{
    [Fact]
    public void Index_zero_is_the_newest_value_and_the_oldest_falls_out_when_full()
    {
        var window = new RollingWindow<int>(3);
        window.Add(1);
        window.Add(2);
        Assert.False(window.IsFull);
        Assert.Equal(2, window[0]);
        Assert.Equal(1, window[1]);

        window.Add(3);
        window.Add(4);

        Assert.True(window.IsFull);
        Assert.Equal(1, window.MostRecentlyRemoved);
        Assert.Equal([2, 3, 4], window.ToArrayOldestFirst());
        Assert.Throws<ArgumentOutOfRangeException>(() => window[3]);
    }

    [Fact]
    public void A_window_needs_room_for_one_value()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RollingWindow<double>(0));
    }
}
