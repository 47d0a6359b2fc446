using SignalFlow.Domain;

namespace SignalFlow.Outcomes;

/// <summary>
/// Follows one signal on the later candles of its series until it resolves, exactly as STRATEGIES.md §4 says: entry
/// at the signal candle's close; on each later candle, a gap at the open through the stop or the target exits at the
/// open; else a touch of the stop exits at the stop (also when the same candle reaches the target: one candle does not
/// say which came first); else a touch of the target exits at the target; else the <c>max_bars_held</c>-th candle
/// expires at its close. O(1) and allocation-free per candle until it resolves; its whole state is
/// <see cref="Snapshot"/>, so the live grain persists it and the backtest uses the same class.
/// </summary>
public sealed class OutcomeTracker
{
    private readonly OutcomeTrackerState _state;

    public OutcomeTracker(Signal signal, int? maxBarsHeld)
        : this(new OutcomeTrackerState
        {
            SignalId = signal.Id,
            SignalTime = signal.Time,
            Series = signal.Series,
            Direction = signal.Direction,
            Entry = signal.Close,
            StopLoss = signal.StopLoss,
            TakeProfit = signal.TakeProfit,
            PipMultiplier = signal.Instrument.PipMultiplier,
            MaxBarsHeld = maxBarsHeld,
            LastCandleTime = signal.Time,
        })
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBarsHeld ?? 1, 1, nameof(maxBarsHeld));
    }

    private OutcomeTracker(OutcomeTrackerState state) => _state = state;

    /// <summary>Resumes a tracker from its <see cref="Snapshot"/> (a copy: the caller's object stays its own).</summary>
    public static OutcomeTracker Restore(OutcomeTrackerState state) => new(state.Copy());

    public string SignalId => _state.SignalId;

    public DateTime SignalTime => _state.SignalTime;

    public SeriesKey Series => _state.Series;

    public SignalDirection Direction => _state.Direction;

    public bool IsResolved => _state.Resolved is not null;

    /// <summary>The resolved outcome, else the open one with the candles seen so far.</summary>
    public SignalOutcome Outcome => _state.Resolved
        ?? new SignalOutcome(_state.SignalId, _state.SignalTime, OutcomeResult.Open, null, null, _state.BarsHeld, null, null);

    public OutcomeTrackerState Snapshot() => _state.Copy();

    /// <summary>
    /// Feeds the next closed candle of the signal's series. A candle at or before the last one seen (the signal's own,
    /// a replayed or duplicate one) is ignored, so feeding a candle twice never counts it twice.
    /// </summary>
    /// <returns>The outcome when the signal resolves on this candle; null while it runs on, once resolved, or when the candle was ignored.</returns>
    public SignalOutcome? Update(Candle candle)
    {
        if (_state.Resolved is not null || candle.Time <= _state.LastCandleTime)
        {
            return null;
        }

        if (candle.Instrument != _state.Series.Instrument || candle.Timeframe != _state.Series.Timeframe)
        {
            throw new ArgumentException($"Candle of {candle.Series} fed to the outcome of {_state.SignalId} ({_state.Series}).", nameof(candle));
        }

        _state.LastCandleTime = candle.Time;
        _state.BarsHeld++;
        var (result, exit) = _state.Direction == SignalDirection.Buy ? Buy(candle) : Sell(candle);
        if (result == OutcomeResult.Open)
        {
            return null;
        }

        var sign = (double)(int)_state.Direction;
        var risk = Math.Abs(_state.Entry - _state.StopLoss);
        var move = (exit - _state.Entry) * sign;
        _state.Resolved = new SignalOutcome(_state.SignalId, _state.SignalTime, result, candle.Time, exit, _state.BarsHeld,
            move * _state.PipMultiplier, risk > 0 ? move / risk : null);
        return _state.Resolved;
    }

    private (OutcomeResult Result, double Exit) Buy(Candle candle)
    {
        var (stop, target) = (_state.StopLoss, _state.TakeProfit);
        return candle.Open <= stop ? (OutcomeResult.Loss, candle.Open)
            : candle.Open >= target ? (OutcomeResult.Win, candle.Open)
            : candle.Low <= stop ? (OutcomeResult.Loss, stop)
            : candle.High >= target ? (OutcomeResult.Win, target)
            : Expiry(candle);
    }

    private (OutcomeResult Result, double Exit) Sell(Candle candle)
    {
        var (stop, target) = (_state.StopLoss, _state.TakeProfit);
        return candle.Open >= stop ? (OutcomeResult.Loss, candle.Open)
            : candle.Open <= target ? (OutcomeResult.Win, candle.Open)
            : candle.High >= stop ? (OutcomeResult.Loss, stop)
            : candle.Low <= target ? (OutcomeResult.Win, target)
            : Expiry(candle);
    }

    private (OutcomeResult Result, double Exit) Expiry(Candle candle) =>
        _state.BarsHeld == _state.MaxBarsHeld ? (OutcomeResult.Expired, candle.Close) : (OutcomeResult.Open, double.NaN);
}

/// <summary>The persisted state of one <see cref="OutcomeTracker"/>: the signal's levels and how far it has run.</summary>
[GenerateSerializer]
public sealed class OutcomeTrackerState
{
    [Id(0)] public string SignalId { get; set; } = string.Empty;

    [Id(1)] public DateTime SignalTime { get; set; }

    [Id(2)] public SeriesKey Series { get; set; }

    [Id(3)] public SignalDirection Direction { get; set; }

    [Id(4)] public double Entry { get; set; }

    [Id(5)] public double StopLoss { get; set; }

    [Id(6)] public double TakeProfit { get; set; }

    [Id(7)] public double PipMultiplier { get; set; }

    [Id(8)] public int? MaxBarsHeld { get; set; }

    /// <summary>Candles seen after the signal's own.</summary>
    [Id(9)] public int BarsHeld { get; set; }

    /// <summary>The last candle seen (the signal's own before any): older or equal candles are ignored.</summary>
    [Id(10)] public DateTime LastCandleTime { get; set; }

    /// <summary>The outcome once resolved; null while the signal runs.</summary>
    [Id(11)] public SignalOutcome? Resolved { get; set; }

    public OutcomeTrackerState Copy() => (OutcomeTrackerState)MemberwiseClone();
}
