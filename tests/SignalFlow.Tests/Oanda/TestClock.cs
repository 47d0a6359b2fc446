using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace SignalFlow.Tests.Oanda;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that reports every timer created on it (delays, backoffs, watchdogs), so a test
/// advances time exactly when the code under test waits, instead of sleeping.
/// </summary>
internal sealed class TestClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _timers.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>Waits for the next timer created whose due time matches, skipping others; fails after a guard time.</summary>
    public async Task<TimeSpan> NextTimerAsync(Func<TimeSpan, bool> match)
    {
        using var guard = new CancellationTokenSource(Guard);
        while (true)
        {
            var due = await _timers.Reader.ReadAsync(guard.Token);
            if (match(due))
            {
                return due;
            }
        }
    }

    /// <summary>Advances past the next matching timer.</summary>
    public async Task<TimeSpan> AdvancePastNextTimerAsync(Func<TimeSpan, bool> match)
    {
        var due = await NextTimerAsync(match);
        Advance(due + TimeSpan.FromMilliseconds(1));
        return due;
    }
}

internal static class TaskGuard
{
    /// <summary>Awaits a task the test expects to complete, failing instead of hanging if it never does.</summary>
    public static Task<T> Within<T>(this Task<T> task, int seconds = 20) => task.WaitAsync(TimeSpan.FromSeconds(seconds));

    public static Task Within(this Task task, int seconds = 20) => task.WaitAsync(TimeSpan.FromSeconds(seconds));
}
