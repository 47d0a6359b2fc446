using SignalFlow.Strategies;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Strategies;

public class SeriesSpreadPlacementTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void The_sixteen_legacy_series_give_every_silo_some(int silos)
    {
        var indexes = SampleData.LegacyStrategies.Select(s => SeriesSpreadPlacement.SiloIndex(s.Series.ToString(), silos)).ToList();

        Assert.Equal(Enumerable.Range(0, silos), indexes.Distinct().Order());
        Assert.All(indexes.GroupBy(i => i), g => Assert.InRange(g.Count(), 1, 16 - (silos - 1)));
    }
}
