using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using SignalFlow.Domain;

namespace SignalFlow.Oanda;

/// <summary>Receives what the pricing stream delivers, connection by connection.</summary>
public interface IPriceStreamSink
{
    /// <summary>A connection was accepted at <paramref name="connectedAt"/>; no tick of it has been delivered yet.</summary>
    Task OnConnectedAsync(DateTime connectedAt, CancellationToken cancellationToken);

    /// <summary>
    /// The valid prices received since the previous call, in stream order (possibly none, e.g. a heartbeat only), and
    /// the newest time stamped on anything among them (prices and heartbeats): the stream has delivered everything
    /// stamped before it. Calls never overlap: the next starts once this one has completed (meanwhile the stream is
    /// read on); a call that fails ends the connection.
    /// </summary>
    Task OnReceivedAsync(IReadOnlyList<PriceTick> ticks, DateTime streamTime, CancellationToken cancellationToken);
}

/// <summary>
/// Reads OANDA's pricing stream for all instruments over one connection at a time, and keeps it open: a drop, a 5xx
/// or 429 answer, or a stream silent for longer than the heartbeat timeout leads to a new connection after an
/// exponential backoff with jitter (Polly); a connection that had been healthy is replaced at once. 401/403 stop it.
/// New connections are spaced to at most two per second.
/// </summary>
public sealed partial class OandaPricingStreamClient(
    HttpClient http,
    OandaFeedOptions options,
    TimeProvider time,
    OandaFeedMetrics metrics,
    ILogger<OandaPricingStreamClient> logger)
{
    private const int ReadBufferBytes = 64 * 1024;

    /// <summary>
    /// At most this many prices go to the sink at once when the stream delivers faster than ingestion takes them (a
    /// burst, or catching up after a pause): bounds the grain messages and how long a price waits behind the others.
    /// </summary>
    public const int MaxTicksPerHandOver = 4096;
    private readonly ConnectionRateGate _connectionGate = new(2, time);

    /// <summary>Streams until cancelled; throws <see cref="OandaAccessDeniedException"/> or <see cref="OandaRequestException"/> when retrying cannot help.</summary>
    public async Task RunAsync(IReadOnlyList<Instrument> instruments, IPriceStreamSink sink, CancellationToken cancellationToken)
    {
        if (instruments.Count == 0)
        {
            throw new ArgumentException("The pricing stream needs at least one instrument.", nameof(instruments));
        }

        var reconnect = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<OandaTransientException>(),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.ReconnectDelay,
                MaxDelay = options.ReconnectMaxDelay,
                MaxRetryAttempts = int.MaxValue,
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is OandaTransientException { RetryAfter: { } retryAfter } ? retryAfter : (TimeSpan?)null),
                OnRetry = args =>
                {
                    LogReconnecting(args.Outcome.Exception!.Message, args.RetryDelay, args.AttemptNumber + 1);
                    return default;
                },
            })
            .Build();

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await reconnect.ExecuteAsync(token => new ValueTask(ReadOneConnectionAsync(instruments, sink, token)), cancellationToken);
        }
    }

    /// <summary>
    /// One connection, read until it ends. Returns normally when it ended after being healthy for at least a
    /// heartbeat timeout (so the next one starts without delay); otherwise throws for the backoff to apply.
    /// </summary>
    private async Task ReadOneConnectionAsync(IReadOnlyList<Instrument> instruments, IPriceStreamSink sink, CancellationToken cancellationToken)
    {
        await _connectionGate.WaitAsync(cancellationToken);
        var uri = new Uri(options.StreamBaseUri, $"/v3/accounts/{Uri.EscapeDataString(options.AccountId!)}/pricing/stream?instruments={string.Join("%2C", instruments.Select(i => i.Name))}");
        var what = $"the pricing stream of account {options.AccountId}";
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var request = OandaHttp.Get(uri, options.Token!);
        HttpResponseMessage response;
        var unanswered = false;
        var answerTimeout = time.CreateTimer(_ =>
        {
            unanswered = true;
            connection.Cancel();
        }, null, options.HeartbeatTimeout, Timeout.InfiniteTimeSpan);
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, connection.Token);
        }
        catch (HttpRequestException ex)
        {
            metrics.ConnectionEnded("connect_failed");
            throw new OandaTransientException($"connecting to {what} failed: {ex.Message}", inner: ex);
        }
        catch (OperationCanceledException) when (unanswered && !cancellationToken.IsCancellationRequested)
        {
            metrics.ConnectionEnded("unanswered");
            throw new OandaTransientException($"{what} did not answer within {options.HeartbeatTimeout.TotalSeconds:0.#} s");
        }
        finally
        {
            answerTimeout.Dispose();
        }

        using (response)
        {
            try
            {
                await OandaHttp.EnsureSuccessAsync(response, what, time, cancellationToken);
            }
            catch (Exception ex) when (ex is OandaTransientException or OandaAccessDeniedException or OandaRequestException)
            {
                metrics.ConnectionEnded($"refused_{(int)response.StatusCode}");
                throw;
            }

            metrics.Connected();
            var connectedAt = time.GetUtcNow().UtcDateTime;
            LogConnected(instruments.Count);
            await ForwardAsync(() => sink.OnConnectedAsync(connectedAt, cancellationToken), cancellationToken);

            var silent = false;
            using var watchdog = time.CreateTimer(_ =>
            {
                silent = true;
                connection.Cancel();
            }, null, options.HeartbeatTimeout, Timeout.InfiniteTimeSpan);
            var end = await ReadLinesAsync(response, sink, watchdog, connection.Token, cancellationToken, () => silent);
            metrics.ConnectionEnded(end.Reason);
            var lasted = time.GetUtcNow().UtcDateTime - connectedAt;
            if (end.ReceivedLines && lasted >= options.HeartbeatTimeout)
            {
                LogHealthyConnectionEnded(end.Description, lasted);
                return;
            }

            throw new OandaTransientException($"{what} {end.Description} after {lasted.TotalSeconds:0.#} s");
        }
    }

    private async Task<ConnectionEnd> ReadLinesAsync(
        HttpResponseMessage response, IPriceStreamSink sink, ITimer watchdog, CancellationToken connection, CancellationToken cancellationToken, Func<bool> silent)
    {
        var splitter = new NdjsonLineSplitter();
        var buffer = new byte[ReadBufferBytes];
        var receivedLines = false;

        // The hand-over in progress: the next one is read and parsed meanwhile (on the other core), and starts once
        // this one has ended, so the sink still gets one hand-over at a time, in stream order.
        Task? handOver = null;
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(connection);
            var ticks = new List<PriceTick>();
            DateTime? streamTime = null;
            var lines = 0;
            LineHandler onLine = line =>
            {
                lines++;
                streamTime = Later(streamTime, Parse(line, ticks));
            };
            var next = body.ReadAsync(buffer, connection);
            while (true)
            {
                if (handOver is not null && !next.IsCompleted)
                {
                    // A failed hand-over ends the connection at once, not with the next data.
                    var reading = next.AsTask();
                    if (await Task.WhenAny(reading, handOver) == handOver)
                    {
                        await handOver;
                        handOver = null;
                    }

                    next = new ValueTask<int>(reading);
                }

                var read = await next;
                if (read == 0)
                {
                    await (handOver ?? Task.CompletedTask);
                    return new ConnectionEnd("closed", "was closed by the server", receivedLines);
                }

                var oversized = splitter.OversizedLinesDropped;
                lines = 0;
                splitter.Push(buffer.AsSpan(0, read), onLine);
                if (splitter.OversizedLinesDropped > oversized)
                {
                    metrics.LineRejected("oversized");
                    LogRejectedLine("oversized", $"a line longer than {NdjsonLineSplitter.DefaultMaxLineBytes} bytes was dropped");
                }

                if (lines > 0)
                {
                    receivedLines = true;
                    watchdog.Change(options.HeartbeatTimeout, Timeout.InfiniteTimeSpan);
                }

                // What the connection has buffered already goes with this hand-over: when ingestion is the slower
                // side, each hand-over carries all that arrived meanwhile (up to a bound) instead of a read's worth.
                next = body.ReadAsync(buffer, connection);
                if (next.IsCompletedSuccessfully)
                {
                    var ready = next.Result;
                    next = new ValueTask<int>(ready);
                    if (ready > 0 && ticks.Count < MaxTicksPerHandOver)
                    {
                        continue;
                    }
                }

                if (streamTime is { } passed)
                {
                    var handedOver = ticks;
                    if (handedOver.Count > 0)
                    {
                        metrics.TicksReceived(handedOver.Count);
                    }

                    await (handOver ?? Task.CompletedTask);
                    handOver = ForwardAsync(() => sink.OnReceivedAsync(handedOver, passed, cancellationToken), cancellationToken);
                    ticks = [];
                    streamTime = null;
                }
            }
        }
        catch (OperationCanceledException) when (silent() && !cancellationToken.IsCancellationRequested)
        {
            return new ConnectionEnd("silent", $"sent nothing for {options.HeartbeatTimeout.TotalSeconds:0.#} s", receivedLines);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            return new ConnectionEnd("dropped", $"dropped ({ex.Message})", receivedLines);
        }
        finally
        {
            // The sink never sees the next connection while a hand-over of this one runs. Ending already (a drop, a
            // silence, a failure surfaced above), a hand-over's own failure adds nothing.
            if (handOver is not null)
            {
                await handOver.ContinueWith(h => _ = h.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Adds the line's price to <paramref name="ticks"/> when it is a valid one; counts and logs a rejected line.</summary>
    /// <returns>The time of a valid price or heartbeat, else null.</returns>
    private DateTime? Parse(ReadOnlySpan<byte> line, List<PriceTick> ticks)
    {
        var parsed = PricingLineParser.Parse(line);
        if (parsed is PricingLine.Price price)
        {
            ticks.Add(price.Tick);
            return price.Tick.Time;
        }

        if (parsed is PricingLine.Heartbeat heartbeat)
        {
            return heartbeat.Time;
        }

        var rejected = (PricingLine.Rejected)parsed;
        metrics.LineRejected(rejected.Reason);
        if (rejected.Reason == PricingLineRejection.NonTradeable)
        {
            LogNonTradeable(rejected.Detail);
        }
        else
        {
            LogRejectedLine(rejected.Reason, rejected.Detail);
        }

        return null;
    }

    private static DateTime? Later(DateTime? current, DateTime? time) => time is { } other ? Later(current, other) : current;

    private static DateTime Later(DateTime? current, DateTime time) => current is { } known && known > time ? known : time;

    /// <summary>A failure downstream ends the connection like a drop: the reconnect re-synchronises through the backfill.</summary>
    private static async Task ForwardAsync(Func<Task> forward, CancellationToken cancellationToken)
    {
        try
        {
            await forward();
        }
        catch (Exception ex) when (ex is not (OandaAccessDeniedException or OandaRequestException) && !cancellationToken.IsCancellationRequested)
        {
            throw new OandaTransientException($"handing the stream over to ingestion failed: {ex.Message}", inner: ex);
        }
    }

    private sealed record ConnectionEnd(string Reason, string Description, bool ReceivedLines);

    [LoggerMessage(Level = LogLevel.Information, Message = "OANDA pricing stream connected for {Count} instruments")]
    private partial void LogConnected(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OANDA pricing stream {Description} after {Lasted}; reconnecting")]
    private partial void LogHealthyConnectionEnded(string description, TimeSpan lasted);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OANDA pricing stream: {Problem}; reconnecting in {Delay} (attempt {Attempt})")]
    private partial void LogReconnecting(string problem, TimeSpan delay, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OANDA pricing stream: rejected line ({Reason}): {Detail}")]
    private partial void LogRejectedLine(string reason, string detail);

    [LoggerMessage(Level = LogLevel.Debug, Message = "OANDA pricing stream: non-tradeable price ignored: {Detail}")]
    private partial void LogNonTradeable(string detail);
}
