using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Ingestion;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Ingestion;

/// <summary>The gate of a batch of candles published as one stream event: admitted candles count until the batch is published or given up.</summary>
public class ClosedCandleGateTests
{
    private static readonly SeriesKey Series = SeriesKey.Parse("EUR_USD_H4");
    private readonly List<Candle> _candles = SampleData.Candles(Series).Take(5).ToList();
    private readonly CandleIngestionState _state = new();

    [Fact]
    public void A_candle_repeated_or_older_within_one_batch_is_refused_before_the_batch_is_published()
    {
        var gate = new ClosedCandleGate(Series.Instrument, _state);
        Assert.Equal(CandleIngestOutcome.Published, gate.Admit(_candles[1]).Outcome);
        Assert.Equal(CandleIngestOutcome.Duplicate, gate.Admit(_candles[1]).Outcome);
        Assert.Equal(CandleIngestOutcome.OutOfOrder, gate.Admit(_candles[0]).Outcome);
        Assert.Equal(CandleIngestOutcome.Published, gate.Admit(_candles[2]).Outcome);

        var stats = gate.Stats().ByTimeframe["H4"];
        Assert.Equal((0L, 1L, 1L, (DateTime?)null), (stats.Published, stats.Duplicates, stats.OutOfOrder, stats.LastPublishedCandleTime));
    }

    [Fact]
    public void A_batch_given_up_is_admitted_again_and_only_what_was_published_counts()
    {
        var gate = new ClosedCandleGate(Series.Instrument, _state);
        Assert.Equal(CandleIngestOutcome.Published, gate.Admit(_candles[0]).Outcome);
        gate.Published(_candles[0]);
        Assert.Equal(CandleIngestOutcome.Published, gate.Admit(_candles[1]).Outcome);
        Assert.Equal(CandleIngestOutcome.Published, gate.Admit(_candles[2]).Outcome);

        // The stream refused the batch: the retry admits the same candles again, the published one stays a duplicate.
        gate.ForgetUnpublished();
        Assert.Equal(CandleIngestOutcome.Duplicate, gate.Admit(_candles[0]).Outcome);
        Assert.Equal(CandleIngestOutcome.Published, gate.Admit(_candles[1]).Outcome);
        Assert.Equal(CandleIngestOutcome.Published, gate.Admit(_candles[2]).Outcome);
        gate.Published(_candles[1]);
        gate.Published(_candles[2]);
        gate.ForgetUnpublished();

        var stats = gate.Stats().ByTimeframe["H4"];
        Assert.Equal((3L, 1L, _candles[2].Time), (stats.Published, stats.Duplicates, stats.LastPublishedCandleTime));
        Assert.Equal(_candles[2].Time, gate.LastPublished(Timeframe.H4));
    }

    [Fact]
    public void A_state_lagging_the_candle_store_catches_up_so_that_re_sent_candles_are_duplicates()
    {
        var gate = new ClosedCandleGate(Series.Instrument, _state);
        Assert.Equal(CandleIngestOutcome.Published, gate.Admit(_candles[0]).Outcome);
        gate.Published(_candles[0]);
        gate.ForgetUnpublished();

        // A next activation: its saved state stops at the first candle, the store holds four.
        gate = new ClosedCandleGate(Series.Instrument, _state);
        Assert.True(gate.CatchUpWithStore(Timeframe.H4, _candles[3].Time));
        Assert.False(gate.CatchUpWithStore(Timeframe.H4, _candles[2].Time));
        Assert.Equal(_candles[3].Time, gate.LastPublished(Timeframe.H4));
        Assert.Equal(CandleIngestOutcome.Duplicate, gate.Admit(_candles[3]).Outcome);
        Assert.Equal(CandleIngestOutcome.Published, gate.Admit(_candles[4]).Outcome);
    }
}
