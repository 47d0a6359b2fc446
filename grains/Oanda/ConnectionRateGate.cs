namespace SignalFlow.Oanda;

/// <summary>
/// Spaces new connections so that at most <c>perSecond</c> start in any one-second window (OANDA allows 2 new
/// connections per second). Callers are serialised; the wait runs on the injected clock.
/// </summary>
public sealed class ConnectionRateGate(int perSecond, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private readonly Queue<DateTimeOffset> _recent = new();
    private readonly SemaphoreSlim _turn = new(1, 1);

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            if (_recent.Count >= perSecond)
            {
                var wait = _recent.Dequeue() + Window - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, cancellationToken);
                }
            }

            _recent.Enqueue(time.GetUtcNow());
        }
        finally
        {
            _turn.Release();
        }
    }
}
