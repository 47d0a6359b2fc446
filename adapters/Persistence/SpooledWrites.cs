using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace SignalFlow.Persistence;

/// <summary>What a health check needs to know about a spool.</summary>
public interface ISpoolStatus
{
    string Name { get; }

    /// <summary>Writes accepted while the store was failing and not yet delivered.</summary>
    int PendingCount { get; }

    /// <summary>Writes the store rejected permanently on replay, kept in the <c>.rejected.spool</c> file.</summary>
    int DeadLetteredCount { get; }

    /// <summary>Torn or corrupt records skipped when the spool file was opened.</summary>
    long DiscardedRecords { get; }
}

/// <summary>
/// Write-behind for a store that may be unreachable: a write goes straight to the store while nothing is spooled;
/// when the store fails transiently (or earlier writes are still spooled, to keep their order) the item is appended
/// to a <see cref="DurableSpool"/> and counts as accepted. A <see cref="TimeProvider"/> timer replays the spool in
/// order with doubling back-off until it is empty, then truncates the file. Delivery must be idempotent: a crash
/// between delivering and compacting replays the delivered records again. An item the store refuses for good
/// (a non-transient error) moves to the rejected file with an error log and a counter, so it cannot block the rest.
/// </summary>
public sealed partial class SpooledWrites<T> : ISpoolStatus, IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Func<T, CancellationToken, Task> _deliver;
    private readonly Func<Exception, bool> _isTransient;
    private readonly SpoolOptions _options;
    private readonly PersistenceMetrics _metrics;
    private readonly ILogger _logger;
    private readonly DurableSpool _spool;
    private readonly DurableSpool _rejected;
    private readonly ITimer _timer;
    private readonly CancellationTokenSource _stopping = new();
    private TimeSpan _backoff;
    private bool _timerArmed;
    private bool _replaying;
    private Task _replayPass = Task.CompletedTask;
    private int _disposed;

    public SpooledWrites(string name, Func<T, CancellationToken, Task> deliver, Func<Exception, bool> isTransient,
        SpoolOptions options, TimeProvider time, PersistenceMetrics metrics, ILogger logger)
    {
        Name = name;
        _deliver = deliver;
        _isTransient = isTransient;
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _backoff = options.ReplayInitialDelay;
        _spool = new DurableSpool(Path.Combine(options.Directory, $"{name}.spool"));
        _rejected = new DurableSpool(Path.Combine(options.Directory, $"{name}.rejected.spool"));
        _timer = time.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        metrics.Track(this);
        if (_spool.DiscardedRecords > 0)
        {
            metrics.SpoolRecordsDiscarded(name, _spool.DiscardedRecords);
            LogDiscarded(name, _spool.DiscardedRecords);
        }

        if (_spool.Count > 0)
        {
            LogRecovered(name, _spool.Count);
            ScheduleReplay(options.ReplayInitialDelay);
        }
    }

    public string Name { get; }

    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _spool.Count;
            }
        }
    }

    public int DeadLetteredCount
    {
        get
        {
            lock (_gate)
            {
                return _rejected.Count;
            }
        }
    }

    public long DiscardedRecords => _spool.DiscardedRecords;

    /// <summary>The replay pass started by the timer most recently (completed when none ran).</summary>
    public Task ReplayPass
    {
        get
        {
            lock (_gate)
            {
                return _replayPass;
            }
        }
    }

    /// <summary>Writes through, or spools: returns true when <paramref name="writeThrough"/> stored the item, false when it was spooled.</summary>
    public async Task<bool> WriteAsync(T item, Func<Task> writeThrough)
    {
        lock (_gate)
        {
            if (_spool.Count > 0)
            {
                // Earlier writes are still waiting: this one queues behind them to keep the order.
                Spool(item);
                return false;
            }
        }

        try
        {
            await writeThrough();
            return true;
        }
        catch (Exception e) when (_isTransient(e))
        {
            lock (_gate)
            {
                Spool(item);
            }

            LogSpooling(e, Name);
            return false;
        }
    }

    /// <summary>The spooled items, oldest first (for reads that must see accepted writes).</summary>
    public IReadOnlyList<T> PendingItems()
    {
        List<byte[]> records;
        lock (_gate)
        {
            records = [.. _spool.Pending()];
        }

        var items = new List<T>(records.Count);
        foreach (var record in records)
        {
            // A record that does not decode is dead-lettered by the replay; reads simply leave it out.
            if (TryDecode(record, out var item, out _))
            {
                items.Add(item);
            }
        }

        return items;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _timer.DisposeAsync();
        try
        {
            await ReplayPass;
        }
        catch (OperationCanceledException)
        {
            // Stopping: the spool keeps what was not delivered.
        }

        lock (_gate)
        {
            _spool.Dispose();
            _rejected.Dispose();
        }

        _stopping.Dispose();
    }

    private void Spool(T item)
    {
        _spool.Append(JsonSerializer.SerializeToUtf8Bytes(item, PersistenceJson.Options));
        _metrics.Spooled(Name);
        ArmTimer(_options.ReplayInitialDelay);
    }

    private void ScheduleReplay(TimeSpan delay)
    {
        lock (_gate)
        {
            ArmTimer(delay);
        }
    }

    private void ArmTimer(TimeSpan delay)
    {
        if (_timerArmed || _replaying || _stopping.IsCancellationRequested)
        {
            // An armed timer or a running pass will reach this record: passes run until the spool is empty.
            return;
        }

        _timerArmed = true;
        _timer.Change(delay, Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            _timerArmed = false;
            if (_replaying || _stopping.IsCancellationRequested)
            {
                return;
            }

            _replaying = true;
            _replayPass = Task.Run(ReplayAsync);
        }
    }

    private async Task ReplayAsync()
    {
        var delivered = 0;
        try
        {
            while (true)
            {
                byte[] record;
                lock (_gate)
                {
                    if (_spool.Count == 0)
                    {
                        _spool.Compact();
                        _backoff = _options.ReplayInitialDelay;
                        _replaying = false;
                        if (delivered > 0)
                        {
                            LogDrained(Name, delivered);
                        }

                        return;
                    }

                    record = _spool.Peek();
                }

                if (!TryDecode(record, out var item, out var decodeError))
                {
                    DeadLetter(record, decodeError);
                    continue;
                }

                try
                {
                    await _deliver(item, _stopping.Token);
                }
                catch (Exception e) when (_isTransient(e))
                {
                    RetryLater(e);
                    return;
                }
                catch (Exception e) when (!_stopping.IsCancellationRequested)
                {
                    DeadLetter(record, e);
                    continue;
                }

                lock (_gate)
                {
                    _spool.ConsumeHead();
                }

                delivered++;
                _metrics.Replayed(Name);
            }
        }
        catch (Exception e) when (!_stopping.IsCancellationRequested)
        {
            // The spool file itself failed (disk): nothing is consumed that was not delivered; try again later.
            RetryLater(e);
        }
        finally
        {
            lock (_gate)
            {
                _replaying = false;
            }
        }
    }

    private void RetryLater(Exception failure)
    {
        lock (_gate)
        {
            _spool.Compact();
            _replaying = false;
            LogReplayFailed(failure, Name, _spool.Count, _backoff);
            ArmTimer(_backoff);
            _backoff = TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, _options.ReplayMaxDelay.Ticks));
        }
    }

    private void DeadLetter(byte[] record, Exception failure)
    {
        lock (_gate)
        {
            _rejected.Append(record);
            _spool.ConsumeHead();
        }

        _metrics.DeadLettered(Name);
        LogDeadLettered(failure, Name, Path.Combine(_options.Directory, $"{Name}.rejected.spool"));
    }

    private static bool TryDecode(byte[] record, [MaybeNullWhen(false)] out T item, [NotNullWhen(false)] out Exception? error)
    {
        try
        {
            item = JsonSerializer.Deserialize<T>(record, PersistenceJson.Options)
                ?? throw new JsonException("Spool record holds JSON null.");
            error = null;
            return true;
        }
        catch (JsonException e)
        {
            item = default;
            error = e;
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Store behind spool {Spool} failed; write spooled locally and will be replayed")]
    private partial void LogSpooling(Exception exception, string spool);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replay of spool {Spool} failed; {Pending} writes wait, next attempt in {Delay}")]
    private partial void LogReplayFailed(Exception exception, string spool, int pending, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Spool {Spool} drained: {Delivered} writes delivered")]
    private partial void LogDrained(string spool, int delivered);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spool {Spool} recovered {Pending} undelivered writes from disk")]
    private partial void LogRecovered(string spool, int pending);

    [LoggerMessage(Level = LogLevel.Error, Message = "Spool {Spool} skipped {Count} torn or corrupt records while opening its file")]
    private partial void LogDiscarded(string spool, long count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Store refused a spooled write of {Spool} for good; moved to {RejectedFile}")]
    private partial void LogDeadLettered(Exception exception, string spool, string rejectedFile);
}
