namespace SignalFlow.Persistence;

/// <summary>
/// Decides when a grain that processes candles writes its state: once per <c>candlesPerWrite</c> candles, and at once
/// after a candle with effects outside the grain (a signal, an outcome, a first publish). Safe because everything in
/// between can be redone from the candle store: an activation that lost unwritten candles (a silo killed) re-reads
/// them, and re-evaluating a candle yields the same signal ids, which every store keeps once. Writing at once after
/// effects keeps such a replay from re-announcing anything but the batch in flight, as before coalescing.
/// </summary>
public sealed class StateWriteCoalescer(int candlesPerWrite)
{
    private int _unwritten;
    private bool _effects;
    private bool _poisoned;

    /// <summary>Whether processed candles wait to be written (and the state may be written: see <see cref="Poison"/>).</summary>
    public bool HasUnwritten => (_unwritten > 0 || _effects) && !_poisoned;

    /// <summary>Records <paramref name="candles"/> processed in memory; <paramref name="effects"/> when any reached beyond the grain.</summary>
    public void Processed(int candles, bool effects)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(candles);
        _unwritten += candles;
        _effects |= effects;
    }

    /// <summary>Whether the state should be written now.</summary>
    public bool WriteDue => !_poisoned && (_effects || _unwritten >= candlesPerWrite);

    public void Written()
    {
        _unwritten = 0;
        _effects = false;
    }

    /// <summary>
    /// At deactivation (when a grain is collected or asked to go; not when its silo stops, where the memory storage is
    /// already gone, each write would only log errors, a grain moved to another silo carries its state in memory, and
    /// with MongoDB or Redis the next start merely re-reads the few unwritten candles, as after a lost silo): writes
    /// what is unwritten. A failure is reported, not thrown: the next activation re-reads the
    /// unwritten candles from the candle store.
    /// </summary>
    public async Task WriteUnwrittenAsync(Func<Task> write, Action<Exception> failed)
    {
        if (!HasUnwritten)
        {
            return;
        }

        try
        {
            await write();
            Written();
        }
        catch (Exception ex)
        {
            failed(ex);
        }
    }

    /// <summary>
    /// The state in memory moved past candles whose effects failed: it must never be written (not even at
    /// deactivation), so that the next activation evaluates them again from the last written state.
    /// </summary>
    public void Poison() => _poisoned = true;

    /// <summary>Whether <see cref="Poison"/> was called: the state in memory is not fit to be written or to travel.</summary>
    public bool Poisoned => _poisoned;
}
