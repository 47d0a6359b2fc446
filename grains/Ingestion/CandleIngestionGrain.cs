using Microsoft.Extensions.Logging;
using Orleans.Streams;
using SignalFlow.Candles;
using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Telemetry;

namespace SignalFlow.Ingestion;

/// <inheritdoc cref="ICandleIngestionGrain"/>
public sealed partial class CandleIngestionGrain(
    [PersistentState("ingestion", StorageNames.GrainState)] IPersistentState<CandleIngestionState> state,
    ICandleStore candleStore,
    SignalFlowMetrics metrics,
    ILogger<CandleIngestionGrain> logger) : Grain, ICandleIngestionGrain
{
    private ClosedCandleGate _gate = null!;
    private IStreamProvider _streams = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _gate = new ClosedCandleGate(Instrument.Parse(this.GetPrimaryKeyString()), state.State);
        _streams = this.GetStreamProvider(StreamNames.Provider);
        return Task.CompletedTask;
    }

    public async Task<CandleIngestResult> PublishClosedCandleAsync(Candle candle) =>
        (await PublishClosedCandlesAsync([candle]))[0];

    public async Task<IReadOnlyList<CandleIngestResult>> PublishClosedCandlesAsync(IReadOnlyList<Candle> candles)
    {
        var results = new List<CandleIngestResult>(candles.Count);
        try
        {
            foreach (var candle in candles)
            {
                var result = _gate.Admit(candle);
                if (result.Outcome == CandleIngestOutcome.Published)
                {
                    // Stored before it is published, so a consumer that finds a gap can always read the candle back.
                    await candleStore.StoreAsync([candle]);
                    await _streams.GetStream<Candle>(StreamNames.ClosedCandlesOf(candle.Series)).OnNextAsync(candle);
                    _gate.Published(candle);
                    metrics.CandlePublished(candle.Series.ToString());
                }
                else
                {
                    Reject(candle, result);
                }

                results.Add(result);
            }
        }
        finally
        {
            // Persist what got through even when the stream refused a candle midway (e.g. a full queue), so the
            // caller's retry of the rest is not mistaken for duplicates or re-published.
            await state.WriteStateAsync();
        }

        return results;
    }

    public Task<IngestionStats> GetStatsAsync() => Task.FromResult(_gate.Stats());

    private void Reject(Candle candle, CandleIngestResult result)
    {
        var series = $"{candle.Instrument}_{candle.Timeframe}";
        metrics.CandleRejected(series, result.Outcome switch
        {
            CandleIngestOutcome.Duplicate => "duplicate",
            CandleIngestOutcome.OutOfOrder => "out_of_order",
            _ => "invalid",
        });
        if (result.Outcome == CandleIngestOutcome.Duplicate)
        {
            LogDuplicate(series, candle.Time);
        }
        else
        {
            LogRejected(series, candle.Time, result.Outcome, result.Reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dropped duplicate candle {Series} {CandleTime:O}")]
    private partial void LogDuplicate(string series, DateTime candleTime);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected candle {Series} {CandleTime:O} ({Outcome}): {Reason}")]
    private partial void LogRejected(string series, DateTime candleTime, CandleIngestOutcome outcome, string? reason);
}
