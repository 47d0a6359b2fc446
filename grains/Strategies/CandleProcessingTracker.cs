using System.Collections.Concurrent;
using SignalFlow.Domain;

namespace SignalFlow.Strategies;

/// <summary>
/// Per-silo watermark of the newest candle each local strategy grain has finished with (signals stored, state
/// persisted). Lets the backtest and tests await completion instead of polling.
/// </summary>
public sealed class CandleProcessingTracker
{
    private readonly ConcurrentDictionary<SeriesKey, Watermark> _series = new();

    public void Report(SeriesKey series, DateTime processedThrough) => _series.GetOrAdd(series, _ => new Watermark()).Advance(processedThrough);

    public DateTime? ProcessedThrough(SeriesKey series) => _series.TryGetValue(series, out var mark) ? mark.Current : null;

    /// <summary>Completes once the series has been processed through <paramref name="candleTime"/>.</summary>
    public Task WaitForAsync(SeriesKey series, DateTime candleTime, CancellationToken cancellationToken) =>
        _series.GetOrAdd(series, _ => new Watermark()).WaitForAsync(candleTime, cancellationToken);

    private sealed class Watermark
    {
        private readonly Lock _lock = new();
        private readonly List<(DateTime Time, TaskCompletionSource Done)> _waiters = [];

        public DateTime? Current { get; private set; }

        public void Advance(DateTime time)
        {
            List<TaskCompletionSource> released = [];
            lock (_lock)
            {
                if (Current >= time)
                {
                    return;
                }

                Current = time;
                _waiters.RemoveAll(w =>
                {
                    if (w.Time > time)
                    {
                        return false;
                    }

                    released.Add(w.Done);
                    return true;
                });
            }

            released.ForEach(done => done.TrySetResult());
        }

        public Task WaitForAsync(DateTime time, CancellationToken cancellationToken)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_lock)
            {
                if (Current >= time)
                {
                    return Task.CompletedTask;
                }

                _waiters.Add((time, done));
            }

            return done.Task.WaitAsync(cancellationToken);
        }
    }
}
