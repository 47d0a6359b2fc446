using Microsoft.Extensions.DependencyInjection;
using SignalFlow.Domain;
using SignalFlow.Strategies;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Pipeline;

/// <summary>The candle streams' pub/sub: implicit subscriptions only, so a series costs no rendezvous grain.</summary>
public class CandleStreamPubSubTests(PipelineCluster pipeline) : IClassFixture<PipelineCluster>
{
    [Fact]
    public async Task Candles_reach_the_implicit_subscriber_by_the_stream_and_no_series_activates_a_pub_sub_rendezvous_grain()
    {
        var series = SeriesKey.Parse("EUR_USD_D");
        var candles = SampleData.Candles(series);
        await pipeline.ReplayAsync(series, candles.Take(250).ToList());

        // Published on the stream alone (no direct call): only the stream's delivery to the implicit subscriber brings it.
        var stream = pipeline.SiloServices.GetRequiredService<IClusterClient>()
            .GetStreamProvider(StreamNames.Provider).GetStream<Candle>(StreamNames.ClosedCandlesOf(series));
        await stream.OnNextAsync(candles[250]);
        await pipeline.SiloServices.GetRequiredService<CandleProcessingTracker>().WaitForAsync(series, candles[250].Time, CancellationToken.None)
            .WaitAsync(TimeSpan.FromMinutes(1));

        var statistics = await pipeline.Cluster.Client.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        Assert.Contains(statistics, s => s.GrainType.Contains(nameof(StrategyGrain), StringComparison.Ordinal) && s.ActivationCount > 0);
        Assert.DoesNotContain(statistics, s => s.GrainType.Contains("PubSubRendezvous", StringComparison.Ordinal) && s.ActivationCount > 0);
        Assert.Equal(251, (await pipeline.StrategyGrain(series).GetStatusAsync()).CandlesProcessed);
    }
}
