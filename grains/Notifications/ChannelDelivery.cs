using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using SignalFlow.Domain;

namespace SignalFlow.Notifications;

public enum AttemptOutcome
{
    /// <summary>The first <see cref="DeliveryAttempt.Count"/> signals were confirmed.</summary>
    Delivered,

    /// <summary>Nothing was sent or the server asked to wait; try again at <see cref="ChannelDelivery.NotBefore"/>.</summary>
    Wait,

    /// <summary>Transient failure; backing off until <see cref="ChannelDelivery.NotBefore"/>.</summary>
    Failed,

    /// <summary>A message of several signals was refused: the next attempts send them one by one to find the culprit.</summary>
    Split,

    /// <summary>The single signal was refused (4xx): dead-letter it.</summary>
    Rejected,

    /// <summary>The endpoint refused for good: mark the channel dead.</summary>
    Gone,
}

/// <param name="MayHaveArrived">A failed attempt whose message may still have arrived (no answer): re-sent as a possible repeat.</param>
public sealed record DeliveryAttempt(AttemptOutcome Outcome, int Count = 0, string? Reason = null, bool MayHaveArrived = false);

/// <summary>
/// Sends one message at a time to one channel, as fast as the channel allows: the server's rate-limit state, the
/// local limiter, backoff after transient failures and a Polly circuit breaker decide when the next attempt may go.
/// The breaker opens on a failure ratio over a window (Polly) or on consecutive failures, which Polly v8 no longer
/// offers: that trigger isolates the breaker through its manual control for the break, then lets one probe through.
/// Not thread-safe; one pump per channel uses it.
/// </summary>
public sealed partial class ChannelDelivery
{
    private readonly NotificationChannelOptions _options;
    private readonly TimeProvider _time;
    private readonly Random _jitter;
    private readonly NotificationMetrics _metrics;
    private readonly LocalRateLimiter _localLimiter;
    private readonly CircuitBreakerStateProvider _breakerState = new();
    private readonly CircuitBreakerManualControl _breakerControl = new();
    private readonly ResiliencePipeline<DeliveryResult> _pipeline;
    private readonly ILogger _logger;
    private int _consecutiveFailures;
    private int _sendSingly;

    /// <summary>Set while the consecutive-failure trigger holds the breaker open.</summary>
    private DateTimeOffset? _isolatedUntil;

    /// <summary>The attempt after a break: its outcome closes or re-opens the breaker.</summary>
    private bool _probing;

    public ChannelDelivery(INotificationChannel channel, NotificationChannelOptions options, TimeProvider time, Random jitter, NotificationMetrics metrics,
        ILogger logger)
    {
        Channel = channel;
        _options = options;
        _time = time;
        _jitter = jitter;
        _metrics = metrics;
        _logger = logger;
        _localLimiter = new LocalRateLimiter(options.RateLimit);
        var breaker = options.CircuitBreaker;
        _pipeline = new ResiliencePipelineBuilder<DeliveryResult> { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<DeliveryResult>
            {
                FailureRatio = breaker.FailureRatio,
                MinimumThroughput = breaker.FailureThreshold,
                SamplingDuration = breaker.SamplingDuration,
                BreakDuration = breaker.BreakDuration,
                StateProvider = _breakerState,
                ManualControl = _breakerControl,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.Status == DeliveryStatus.Transient),
                OnOpened = args =>
                {
                    if (!args.IsManual)
                    {
                        LogBreakerOpened(Channel.Name, args.BreakDuration, $"failure ratio {breaker.FailureRatio:P0} over {breaker.SamplingDuration}");
                    }

                    return PublishBreakerState(CircuitState.Open);
                },
                OnHalfOpened = _ =>
                {
                    LogBreakerHalfOpen(Channel.Name);
                    return PublishBreakerState(CircuitState.HalfOpen);
                },
                OnClosed = args =>
                {
                    if (!args.IsManual)
                    {
                        LogBreakerClosed(Channel.Name);
                    }

                    return PublishBreakerState(CircuitState.Closed);
                },
            })
            .Build();
        PublishBreakerState(CircuitState.Closed);
    }

    public INotificationChannel Channel { get; }

    /// <summary>No attempt before this instant (rate limit, backoff or open breaker).</summary>
    public DateTimeOffset NotBefore { get; private set; } = DateTimeOffset.MinValue;

    /// <summary>The breaker as users see it: held open by the consecutive-failure trigger shows as open.</summary>
    public CircuitState BreakerState => _isolatedUntil is not null ? CircuitState.Open : _breakerState.CircuitState;

    /// <summary>The server's own wait (429, exhausted bucket) when it is later than now; kept across restarts by the caller.</summary>
    public DateTimeOffset? ServerWaitUntil(DateTimeOffset now) => Channel.ServerAllowsAt is { } allows && allows > now ? allows
        : _serverWaitUntil is { } wait && wait > now ? wait : null;

    private DateTimeOffset? _serverWaitUntil;

    /// <summary>After a restart: obey the wait the server asked for before it (the channel's own state is new).</summary>
    public void RestoreServerWait(DateTimeOffset until)
    {
        _serverWaitUntil = until;
        if (until > NotBefore)
        {
            NotBefore = until;
        }
    }

    public string? LastError { get; private set; }

    public bool IsDue(DateTimeOffset now) => now >= NotBefore;

    /// <summary>
    /// Sends the leading signals that fit one message, if the channel allows now. <paramref name="sending"/> is told
    /// how many right before the request goes out (to record them as in flight).
    /// </summary>
    public async Task<DeliveryAttempt> AttemptAsync(IReadOnlyList<OutgoingSignal> head, Func<int, Task> sending, CancellationToken cancellationToken)
    {
        if (await MayAttemptAsync() is { } wait)
        {
            return wait;
        }

        var count = _sendSingly > 0 ? 1 : Math.Clamp(Channel.CountFitting(head), 1, head.Count);
        var batch = head.Take(count).ToList();
        await sending(count);
        return await SendAsync(count, batch, static (channel, batch, token) => channel.SendAsync(batch, token), cancellationToken);
    }

    /// <summary>
    /// Sends a signal's outcome follow-up as one message, under the same limits, breaker and backoff as signals;
    /// <paramref name="sending"/> is told right before the request goes out.
    /// </summary>
    public async Task<DeliveryAttempt> AttemptFollowUpAsync(OutgoingFollowUp followUp, Func<int, Task> sending, CancellationToken cancellationToken)
    {
        if (await MayAttemptAsync() is { } wait)
        {
            return wait;
        }

        await sending(1);
        return await SendAsync(1, followUp, static (channel, followUp, token) => channel.SendFollowUpAsync(followUp, token), cancellationToken);
    }

    /// <summary>Sends a digest of suppressed signals as one message, under the same limits, breaker and backoff as signals.</summary>
    public async Task<DeliveryAttempt> AttemptDigestAsync(SuppressionDigest digest, CancellationToken cancellationToken)
    {
        if (await MayAttemptAsync() is { } wait)
        {
            return wait;
        }

        return await SendAsync(1, digest, static (channel, digest, token) => channel.SendDigestAsync(digest, token), cancellationToken);
    }

    /// <summary>Null when a request may go now; otherwise the wait.</summary>
    private async Task<DeliveryAttempt?> MayAttemptAsync()
    {
        var now = _time.GetUtcNow();
        if (now < NotBefore)
        {
            return new DeliveryAttempt(AttemptOutcome.Wait);
        }

        if (_isolatedUntil is { } isolatedUntil)
        {
            if (now < isolatedUntil)
            {
                return Wait(isolatedUntil);
            }

            // The break is over: one probe decides (see Conclude).
            _isolatedUntil = null;
            _probing = true;
            LogBreakerHalfOpen(Channel.Name);
            await _breakerControl.CloseAsync();
        }

        if (Channel.ServerAllowsAt is { } serverAllows && serverAllows > now)
        {
            _metrics.RateLimited(Channel.Name, "server_headers");
            return Wait(serverAllows);
        }

        var localAllows = _localLimiter.NextAllowed(now);
        if (localAllows > now)
        {
            _metrics.RateLimited(Channel.Name, "local");
            return Wait(localAllows);
        }

        return null;
    }

    private async Task<DeliveryAttempt> SendAsync<T>(int count, T content, Func<INotificationChannel, T, CancellationToken, Task<DeliveryResult>> send,
        CancellationToken cancellationToken)
    {
        _localLimiter.Record(_time.GetUtcNow());
        DeliveryResult result;
        try
        {
            result = await _pipeline.ExecuteAsync(
                static (state, token) => new ValueTask<DeliveryResult>(state.send(state.Channel, state.content, token)),
                (Channel, content, send),
                cancellationToken);
        }
        catch (BrokenCircuitException e)
        {
            _metrics.Failed(Channel.Name, "breaker_open");
            return Wait(_time.GetUtcNow() + (e.RetryAfter ?? _options.CircuitBreaker.BreakDuration));
        }

        return Conclude(result, count);
    }

    private DeliveryAttempt Conclude(DeliveryResult result, int count)
    {
        var now = _time.GetUtcNow();
        if (result.Status != DeliveryStatus.Transient)
        {
            _consecutiveFailures = 0;
            if (_probing && result.Status != DeliveryStatus.RateLimited)
            {
                _probing = false;
                LogBreakerClosed(Channel.Name);
            }
        }

        switch (result.Status)
        {
            case DeliveryStatus.Delivered:
                _sendSingly = Math.Max(_sendSingly - count, 0);
                LastError = null;
                return new DeliveryAttempt(AttemptOutcome.Delivered, count);
            case DeliveryStatus.RateLimited:
                // A 429 is obeyed, never retried at once: Discord bans IPs that collect too many 401/403/429s.
                _metrics.RateLimited(Channel.Name, result.GlobalRateLimit ? "server_429_global" : "server_429");
                LastError = result.Reason;
                var wait = result.RetryAfter ?? _options.Retry.RateLimitFallbackDelay;
                LogTooManyRequests(Channel.Name, result.GlobalRateLimit ? "global (every Discord webhook of this process)" : "this webhook's bucket",
                    wait, result.RetryAfter is null);
                _serverWaitUntil = now + wait;
                return Wait(now + wait);
            case DeliveryStatus.Transient:
                _consecutiveFailures++;
                _metrics.Failed(Channel.Name, "transient");
                LastError = result.Reason;
                NotBefore = now + RetryBackoff.Delay(_consecutiveFailures, _options.Retry, _jitter);
                var consecutive = _options.CircuitBreaker.ConsecutiveFailures;
                if ((_probing || (consecutive > 0 && _consecutiveFailures >= consecutive)) && _isolatedUntil is null)
                {
                    _probing = false;
                    Isolate(now, consecutive);
                }

                return new DeliveryAttempt(AttemptOutcome.Failed, count, result.Reason, result.MayHaveArrived);
            case DeliveryStatus.Rejected when count > 1:
                _metrics.Failed(Channel.Name, "rejected");
                _sendSingly = count;
                LastError = result.Reason;
                return new DeliveryAttempt(AttemptOutcome.Split, count, result.Reason);
            case DeliveryStatus.Rejected:
                _metrics.Failed(Channel.Name, "rejected");
                _sendSingly = Math.Max(_sendSingly - 1, 0);
                LastError = result.Reason;
                return new DeliveryAttempt(AttemptOutcome.Rejected, count, result.Reason);
            default:
                _metrics.Failed(Channel.Name, "gone");
                LastError = result.Reason;
                return new DeliveryAttempt(AttemptOutcome.Gone, count, result.Reason);
        }
    }

    private void Isolate(DateTimeOffset now, int consecutive)
    {
        var breakDuration = _options.CircuitBreaker.BreakDuration;
        _isolatedUntil = now + breakDuration;
        if (_isolatedUntil > NotBefore)
        {
            NotBefore = _isolatedUntil.Value;
        }

        LogBreakerOpened(Channel.Name, breakDuration, $"{_consecutiveFailures} consecutive failures (threshold {consecutive})");

        // Synchronous in Polly for the manual control (no I/O); the state provider then says Isolated, shown as open.
        _breakerControl.IsolateAsync().GetAwaiter().GetResult();
    }

    private DeliveryAttempt Wait(DateTimeOffset until)
    {
        NotBefore = until;
        return new DeliveryAttempt(AttemptOutcome.Wait);
    }

    private ValueTask PublishBreakerState(CircuitState state)
    {
        _metrics.BreakerState(Channel.Name, state switch
        {
            CircuitState.Closed => 0,
            CircuitState.HalfOpen => 1,
            CircuitState.Open => 2,
            _ => 3,
        });
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification channel {Channel}: breaker opened for {BreakDuration} ({Why}); no attempts until then")]
    private partial void LogBreakerOpened(string channel, TimeSpan breakDuration, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification channel {Channel}: breaker half-open; letting one attempt through")]
    private partial void LogBreakerHalfOpen(string channel);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification channel {Channel}: breaker closed; delivering again")]
    private partial void LogBreakerClosed(string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification channel {Channel}: HTTP 429, rate limit of {Scope}; waiting {Wait} (fallback delay: {Fallback})")]
    private partial void LogTooManyRequests(string channel, string scope, TimeSpan wait, bool fallback);
}
