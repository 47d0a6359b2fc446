namespace SignalFlow.Notifications;

/// <summary>At most N requests in any sliding window, on the injected clock.</summary>
public sealed class LocalRateLimiter(LocalRateLimitOptions options)
{
    private readonly Queue<DateTimeOffset> _recent = new();

    /// <summary>When the next request may go; <paramref name="now"/> or later.</summary>
    public DateTimeOffset NextAllowed(DateTimeOffset now)
    {
        if (options.Requests <= 0)
        {
            return now;
        }

        while (_recent.Count > 0 && _recent.Peek() <= now - options.Window)
        {
            _recent.Dequeue();
        }

        return _recent.Count < options.Requests ? now : _recent.Peek() + options.Window;
    }

    public void Record(DateTimeOffset now)
    {
        if (options.Requests > 0)
        {
            _recent.Enqueue(now);
        }
    }
}

/// <summary>Exponential backoff with "equal jitter": half the exponential delay fixed, half random.</summary>
public static class RetryBackoff
{
    public static TimeSpan Delay(int failures, RetryOptions options, Random random)
    {
        var exponent = Math.Min(Math.Max(failures - 1, 0), 30);
        var ceiling = Math.Min(options.BaseDelay.TotalMilliseconds * Math.Pow(2, exponent), options.MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(ceiling / 2 + random.NextDouble() * ceiling / 2);
    }
}
