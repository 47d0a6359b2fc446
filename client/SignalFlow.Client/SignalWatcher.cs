using System.Runtime.CompilerServices;
using SignalFlow.Domain;
using SignalFlow.Grains;

namespace SignalFlow.Client;

/// <summary>
/// Follows stored signals by polling: each poll asks for signals from a little before the newest one already seen
/// (so a signal stored late for an older candle, e.g. recovered after a silo failure, is still caught) and yields
/// each signal id once. A poll that fails transiently (store blip, silo restart, timeout) is reported to
/// <paramref name="transientFailure"/> and retried after the interval; any other failure ends the watch.
/// </summary>
public sealed class SignalWatcher(
    Func<SignalSearch, CancellationToken, Task<IReadOnlyList<Signal>>> search,
    TimeProvider time,
    Action<Exception>? transientFailure = null)
{
    public async IAsyncEnumerable<Signal> WatchAsync(SignalSearch filter, TimeSpan interval, TimeSpan lookback,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var seen = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        var from = filter.From;
        while (true)
        {
            IReadOnlyList<Signal> batch;
            try
            {
                batch = await search(filter with { From = from }, cancellationToken);
            }
            catch (Exception e) when (SignalFlowClient.IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                transientFailure?.Invoke(e);
                batch = [];
            }

            foreach (var signal in batch.OrderBy(s => s.Time).ThenBy(s => s.StrategyId, StringComparer.Ordinal))
            {
                if (seen.TryAdd(signal.Id, signal.Time))
                {
                    yield return signal;
                }
            }

            if (seen.Count > 0)
            {
                var windowStart = seen.Values.Max() - lookback;
                from = filter.From > windowStart ? filter.From : windowStart;
                foreach (var old in seen.Where(s => s.Value < windowStart).Select(s => s.Key).ToList())
                {
                    seen.Remove(old);
                }
            }

            await Task.Delay(interval, time, cancellationToken);
        }
    }
}
