using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Pipeline;

public class IngestionRejectionTests(PipelineCluster pipeline) : IClassFixture<PipelineCluster>
{
    [Fact]
    public async Task Bad_duplicate_and_out_of_order_candles_are_rejected_and_counted_and_the_pipeline_keeps_working()
    {
        var series = SeriesKey.Parse("AUD_USD_H4");
        var clean = SampleData.Candles(series).Take(400).ToList();
        var at = clean[200];
        var bad = new (Candle Candle, CandleIngestOutcome Outcome, string Reason)[]
        {
            (at with { Close = double.NaN }, CandleIngestOutcome.Invalid, "close NaN is not a positive finite price"),
            (at with { Open = -1 }, CandleIngestOutcome.Invalid, "open -1 is not a positive finite price"),
            (at with { High = at.Low - 0.001 }, CandleIngestOutcome.Invalid, "is below low"),
            (at with { Close = at.High + 0.01 }, CandleIngestOutcome.Invalid, "close"),
            (at with { Complete = false }, CandleIngestOutcome.Invalid, "not complete"),
            (at with { Instrument = Instrument.Parse("EUR_USD") }, CandleIngestOutcome.Invalid, "sent to the ingestion of AUD_USD"),
            (clean[199], CandleIngestOutcome.Duplicate, "published already"),
            // Published long ago (a retried batch, a feed resuming): a duplicate too, not out of order.
            (clean[150], CandleIngestOutcome.Duplicate, "published already"),
            (clean[150] with { Time = clean[150].Time.AddHours(1) }, CandleIngestOutcome.OutOfOrder, "older than the last published"),
        };

        var ingestion = pipeline.IngestionGrain(series.Instrument);
        await pipeline.ReplayAsync(series, clean.Take(200).ToList());
        var results = await ingestion.PublishClosedCandlesAsync(bad.Select(b => b.Candle).ToList());
        await pipeline.ReplayAsync(series, clean.Skip(200).ToList());

        Assert.Equal(bad.Length, results.Count);
        foreach (var (expected, result) in bad.Zip(results))
        {
            Assert.Equal(expected.Outcome, result.Outcome);
            Assert.Contains(expected.Reason, result.Reason);
        }

        var stats = (await ingestion.GetStatsAsync()).ByTimeframe["H4"];
        Assert.Equal((400L, 2L, 1L, 6L), (stats.Published, stats.Duplicates, stats.OutOfOrder, stats.Invalid));
        Assert.Equal(clean[^1].Time, stats.LastPublishedCandleTime);

        var status = await pipeline.StrategyGrain(series).GetStatusAsync();
        Assert.Equal(400, status.CandlesProcessed);
        var permissive = PipelineCluster.Permissive(series);
        var signals = await pipeline.Store.SignalsOfAsync(permissive.Id);
        Assert.NotEmpty(signals);
        LegacyBatchStrategy.AssertEquivalent(LegacyBatchStrategy.Compute(clean, permissive), signals);
    }
}
