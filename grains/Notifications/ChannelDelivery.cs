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

public sealed record DeliveryAttempt(AttemptOutcome Outcome, int Count = 0, string? Reason = null);

/// <summary>
/// Sends one message at a time to one channel, as fast as the channel allows: the server's rate-limit state, the
/// local limiter, backoff after transient failures and a Polly circuit breaker decide when the next attempt may go.
/// Not thread-safe; one pump per channel uses it.
/// </summary>
public sealed class ChannelDelivery
{
    private readonly NotificationChannelOptions _options;
    private readonly TimeProvider _time;
    private readonly Random _jitter;
    private readonly NotificationMetrics _metrics;
    private readonly LocalRateLimiter _localLimiter;
    private readonly CircuitBreakerStateProvider _breakerState = new();
    private readonly ResiliencePipeline<DeliveryResult> _pipeline;
    private int _consecutiveFailures;
    private int _sendSingly;

    public ChannelDelivery(INotificationChannel channel, NotificationChannelOptions options, TimeProvider time, Random jitter, NotificationMetrics metrics)
    {
        Channel = channel;
        _options = options;
        _time = time;
        _jitter = jitter;
        _metrics = metrics;
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
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.Status == DeliveryStatus.Transient),
                OnOpened = _ => PublishBreakerState(CircuitState.Open),
                OnHalfOpened = _ => PublishBreakerState(CircuitState.HalfOpen),
                OnClosed = _ => PublishBreakerState(CircuitState.Closed),
            })
            .Build();
        PublishBreakerState(CircuitState.Closed);
    }

    public INotificationChannel Channel { get; }

    /// <summary>No attempt before this instant (rate limit, backoff or open breaker).</summary>
    public DateTimeOffset NotBefore { get; private set; } = DateTimeOffset.MinValue;

    public CircuitState BreakerState => _breakerState.CircuitState;

    public string? LastError { get; private set; }

    public bool IsDue(DateTimeOffset now) => now >= NotBefore;

    public async Task<DeliveryAttempt> AttemptAsync(IReadOnlyList<Signal> head, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (now < NotBefore)
        {
            return new DeliveryAttempt(AttemptOutcome.Wait);
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

        var count = _sendSingly > 0 ? 1 : Math.Clamp(Channel.CountFitting(head), 1, head.Count);
        var batch = head.Take(count).ToList();
        _localLimiter.Record(now);
        DeliveryResult result;
        try
        {
            result = await _pipeline.ExecuteAsync(
                static (state, token) => new ValueTask<DeliveryResult>(state.Channel.SendAsync(state.batch, token)),
                (Channel, batch),
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
                return Wait(now + (result.RetryAfter ?? _options.Retry.RateLimitFallbackDelay));
            case DeliveryStatus.Transient:
                _consecutiveFailures++;
                _metrics.Failed(Channel.Name, "transient");
                LastError = result.Reason;
                NotBefore = now + RetryBackoff.Delay(_consecutiveFailures, _options.Retry, _jitter);
                return new DeliveryAttempt(AttemptOutcome.Failed, count, result.Reason);
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
}
