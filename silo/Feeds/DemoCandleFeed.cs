using SignalFlow.Candles;
using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Silo.Hosting;

namespace SignalFlow.Silo.Feeds;

/// <summary>
/// Replays the bundled candle files through the ingestion grains, in order of candle close, at an accelerated pace.
/// Resumes after the last candle each series already published, so a restart on persistent storage, or the
/// <see cref="DemoFeedGrain"/> moving to another silo, continues where it stopped.
/// </summary>
public sealed partial class DemoCandleFeed(
    IGrainFactory grains,
    IOptions<DemoFeedOptions> options,
    TimeProvider time,
    ILogger<DemoCandleFeed> logger)
{
    private const int CandlesPerBatch = 10;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>How far one replay got; written by the replay, read by the grain.</summary>
    public sealed class Progress
    {
        private volatile int _published;
        private volatile int _pending;
        private volatile bool _finished;
        private volatile string? _error;

        public int Published { get => _published; set => _published = value; }

        public int Pending { get => _pending; set => _pending = value; }

        public bool Finished { get => _finished; set => _finished = value; }

        public string? Error { get => _error; set => _error = value; }
    }

    public async Task RunAsync(Progress progress, CancellationToken stoppingToken)
    {
        try
        {
            var settings = options.Value;
            var candles = await PendingCandlesAsync(PathResolver.Resolve(settings.CandlesDirectory));
            progress.Pending = candles.Count;
            LogStarting(candles.Count, settings.CandlesPerSecond);
            var pause = TimeSpan.FromSeconds(CandlesPerBatch / settings.CandlesPerSecond);
            foreach (var batch in candles.Chunk(CandlesPerBatch))
            {
                foreach (var instrumentBatch in batch.GroupBy(c => c.Instrument))
                {
                    await PublishWithRetryAsync(instrumentBatch.Key, instrumentBatch.ToList(), stoppingToken);
                }

                progress.Published += batch.Length;
                progress.Pending -= batch.Length;
                await Task.Delay(pause, time, stoppingToken);
            }

            progress.Finished = true;
            LogFinished(candles.Count);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            progress.Error = ex.Message;
            LogFailed(ex, options.Value.ReminderPeriod);
        }
    }

    private async Task<List<Candle>> PendingCandlesAsync(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Demo feed candle folder '{directory}' does not exist ({DemoFeedOptions.Section}:CandlesDirectory).");
        }

        var all = new List<Candle>();
        var withCandles = new HashSet<SeriesKey>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.csv").Order(StringComparer.Ordinal))
        {
            if (CandleCsv.SeriesFromFileName(file) is not { } series)
            {
                LogSkippedFile(file);
                continue;
            }

            withCandles.Add(series);
            var stats = await grains.GetGrain<ICandleIngestionGrain>(series.Instrument.Name).GetStatsAsync();
            var resumeAfter = stats.ByTimeframe.GetValueOrDefault(series.Timeframe.Code)?.LastPublishedCandleTime ?? DateTime.MinValue;
            all.AddRange(CandleCsv.ReadFile(file, series.Instrument, series.Timeframe).Where(c => c.Time > resumeAfter));
        }

        var strategies = await grains.GetGrain<IStrategyRegistryGrain>(IStrategyRegistryGrain.SingletonKey).GetAllAsync();
        var idle = strategies.Where(s => !withCandles.Contains(s.Series)).ToList();
        if (idle.Count > 0)
        {
            LogIdleStrategies(idle.Count, strategies.Count, string.Join(", ", idle.Select(s => $"{s.Id} ({s.Series})")));
        }

        // A candle exists once it closes, so replay in order of close time, as a live feed would deliver them.
        return all.OrderBy(c => c.EndTime).ThenBy(c => c.Series.ToString(), StringComparer.Ordinal).ToList();
    }

    private async Task PublishWithRetryAsync(Instrument instrument, List<Candle> candles, CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                await grains.GetGrain<ICandleIngestionGrain>(instrument.Name).PublishClosedCandlesAsync(candles);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Candles that got through are dropped as duplicates on retry, so retrying the whole batch is safe.
                LogPublishFailed(ex, instrument.Name);
                await Task.Delay(RetryDelay, time, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo feed: replaying {Count} bundled OANDA candles at {Rate} candles/s")]
    private partial void LogStarting(int count, double rate);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo feed: replayed all {Count} candles")]
    private partial void LogFinished(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo feed: {File} is not named INSTRUMENT_TIMEFRAME[_...].csv; skipped")]
    private partial void LogSkippedFile(string file);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo feed: {Idle} of {Total} strategies get no candles (no bundled file for their series) and stay idle: {Strategies}")]
    private partial void LogIdleStrategies(int idle, int total, string strategies);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo feed: publishing {Instrument} candles failed; retrying")]
    private partial void LogPublishFailed(Exception exception, string instrument);

    [LoggerMessage(Level = LogLevel.Error, Message = "Demo feed failed; its reminder restarts it within {Period}")]
    private partial void LogFailed(Exception exception, TimeSpan period);
}
