using SignalFlow.Domain;
using SignalFlow.Strategies;
using SignalFlow.Tests.Strategies;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Pipeline;

/// <summary>The pipeline cluster with strategies of every kind side by side on every bundled series.</summary>
public sealed class MixedKindsPipelineCluster() : PipelineCluster(MixedKinds)
{
    /// <summary>Per series: the permissive <c>ma_crossover</c> and one strategy of each other kind.</summary>
    public static readonly IReadOnlyList<StrategySettings> MixedKinds = SampleData.Series
        .SelectMany(series => new[] { 1, 2, 4, 6 }.Select(i => KindTestKit.OnSeries(series, i)).Prepend(Permissive(series)))
        .ToList();

    public static IEnumerable<StrategySettings> On(SeriesKey series) => MixedKinds.Where(s => s.Series == series);

    /// <summary>Each strategy's stored signals equal its batch computation; no comparison is vacuous.</summary>
    public async Task AssertSignalsOfEveryKindEqualTheBatch(SeriesKey series, IReadOnlyList<Candle> candles)
    {
        Assert.Equal(StrategyKinds.Default.Names.Order(), On(series).Select(s => s.Kind).Order());
        foreach (var strategy in On(series))
        {
            var actual = await Store.SignalsOfAsync(strategy.Id);
            Assert.True(actual.Count >= 2, $"{strategy.Id} emitted {actual.Count} signal(s): the comparison would be vacuous");
            if (strategy.Kind == StrategyKinds.LegacyKind)
            {
                LegacyBatchStrategy.AssertEquivalent(LegacyBatchStrategy.Compute(candles, strategy), actual);
            }
            else
            {
                BatchKinds.AssertEquivalent(BatchKinds.Compute(candles, strategy), actual);
            }

            Assert.All(actual, s => Assert.Equal((strategy.Id, strategy.Kind), (s.StrategyId, s.Kind)));
        }
    }
}

public class StrategyKindsPipelineTests(MixedKindsPipelineCluster pipeline) : IClassFixture<MixedKindsPipelineCluster>
{
    public static TheoryData<string> Series => new(SampleData.Series.Select(s => s.ToString()));

    [Theory]
    [MemberData(nameof(Series))]
    public async Task Every_kind_streams_exactly_the_signals_of_its_batch_computation(string seriesName)
    {
        var series = SeriesKey.Parse(seriesName);
        var candles = SampleData.Candles(series);

        await pipeline.ReplayAsync(series, candles);

        await pipeline.AssertSignalsOfEveryKindEqualTheBatch(series, candles);
    }
}

public class MixedKindsReactivationTests(MixedKindsPipelineCluster pipeline) : IClassFixture<MixedKindsPipelineCluster>
{
    [Fact]
    public async Task Mixed_kinds_on_one_series_resume_after_each_deactivation_identically_and_without_duplicates()
    {
        var series = SeriesKey.Parse("EUR_USD_H4");
        var candles = SampleData.Candles(series);
        var grain = pipeline.StrategyGrain(series);

        const int chunk = 500;
        for (var offset = 0; offset < candles.Count; offset += chunk)
        {
            await pipeline.ReplayAsync(series, candles.Skip(offset).Take(chunk).ToList());
            var before = await grain.GetStatusAsync();
            await pipeline.Cluster.DeactivateAsync(grain);

            var after = await grain.GetStatusAsync();
            Assert.Equal(before.Strategies.Select(s => (s.CandlesSeen, s.SignalsEmitted)), after.Strategies.Select(s => (s.CandlesSeen, s.SignalsEmitted)));
        }

        await pipeline.AssertSignalsOfEveryKindEqualTheBatch(series, candles);
        Assert.Empty(pipeline.Store.StoreCalls.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key));
    }
}
