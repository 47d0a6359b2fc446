using SignalFlow.Domain;
using SignalFlow.Indicators;
using SignalFlow.Outcomes;
using SignalFlow.Portfolio;
using SignalFlow.Quality;

namespace SignalFlow.Strategies;

/// <summary>
/// All the strategies of one series, candle by candle: each strategy, the <see cref="OutcomeBook"/> of its signals
/// still running, and its last resolved outcomes (its recent track record). The live strategy grain and the fast
/// backtest both step through this one class, so the live path and the backtest cannot diverge. It also keeps the
/// series' <see cref="MarketContext"/> and scores every signal's confidence (docs/signal-quality.md) from the context,
/// the strategy's recent outcomes and the series' signals still running. Its whole state is <see cref="Snapshot"/>;
/// <see cref="Restore"/> resumes it exactly.
/// </summary>
public sealed class SeriesRunner
{
    /// <summary>Resolved outcomes kept per strategy unless told otherwise: the window of its recent track record.</summary>
    public const int DefaultRecentCapacity = 100;

    private readonly SeriesStrategy[] _strategies;

    /// <summary>Books of strategies no longer configured on the series: their stored signals are still followed to the end.</summary>
    private readonly List<SeriesStrategy> _retired;

    private readonly List<Signal> _signals = [];
    private readonly List<ResolvedOutcome> _resolved = [];
    private readonly MarketContextTracker _context;
    private readonly ConfidenceScorer _scorer;

    /// <param name="strategies">The series' strategies, fresh or already restored (<see cref="Strategy.TryRestore"/>).</param>
    /// <param name="recentCapacity">Resolved outcomes kept per strategy for its recent track record.</param>
    /// <param name="scorer">Scores each signal's confidence; the seed weights by default.</param>
    public SeriesRunner(SeriesKey series, IEnumerable<Strategy> strategies, int recentCapacity = DefaultRecentCapacity, ConfidenceScorer? scorer = null)
        : this(series, strategies.Select(s => new SeriesStrategy(s.Settings.Id, s, new OutcomeBook(), recentCapacity)), [], new MarketContextTracker(), scorer)
    {
    }

    private SeriesRunner(SeriesKey series, IEnumerable<SeriesStrategy> strategies, List<SeriesStrategy> retired, MarketContextTracker context,
        ConfidenceScorer? scorer)
    {
        Series = series;
        _strategies = strategies.ToArray();
        _retired = retired;
        _context = context;
        _scorer = scorer ?? ConfidenceScorer.Seed;
        if (_strategies.FirstOrDefault(s => s.Strategy.Settings.Series != series) is { } other)
        {
            throw new ArgumentException($"Strategy '{other.Id}' trades {other.Strategy.Settings.Series}, not {series}.", nameof(strategies));
        }

        if (_strategies.GroupBy(s => s.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"Strategy id '{twice.Key}' is given twice.", nameof(strategies));
        }
    }

    public SeriesKey Series { get; }

    /// <summary>The configured strategies, in the order given.</summary>
    public IReadOnlyList<SeriesStrategy> Strategies => _strategies;

    /// <summary>The series' market context after the last candle.</summary>
    public MarketContext Context => _context.Current;

    /// <summary>Candles the market context has seen; 0 when it starts without state and wants warming up (<see cref="WarmUpContext"/>).</summary>
    public long ContextCandles => _context.Samples;

    /// <summary>Feeds a historical candle to the market context only (warm-up from stored candles).</summary>
    public void WarmUpContext(Candle candle) => _context.Update(candle);

    /// <summary>Signals still running of strategies no longer configured (followed until they resolve).</summary>
    public int RetiredOpenSignals => _retired.Sum(r => r.OpenCount);

    /// <summary>
    /// Feeds one closed candle: first the market context and every running signal's outcome (a signal never resolves
    /// on its own candle), then every strategy in configured order, whose new signals are scored and start running from
    /// the next candle. A signal's correlation factor sees the series' signals still running after this candle,
    /// including those the strategies before it emitted on this candle. The candle must be newer than the last.
    /// </summary>
    /// <returns>What the candle produced; its lists are reused by the next <see cref="Step"/>.</returns>
    public SeriesStep Step(Candle candle)
    {
        _signals.Clear();
        _resolved.Clear();
        _context.Update(candle);
        foreach (var strategy in _strategies)
        {
            strategy.Resolve(candle, _resolved);
        }

        if (_retired.Count > 0)
        {
            foreach (var retired in _retired)
            {
                retired.Resolve(candle, _resolved);
            }

            _retired.RemoveAll(r => r.OpenCount == 0);
        }

        foreach (var strategy in _strategies)
        {
            strategy.Evaluate(candle, _signals, this);
        }

        return new SeriesStep(_signals, _resolved);
    }

    /// <summary>The signal with its confidence: the context now, the strategy's recent outcomes, the series' running signals.</summary>
    internal Signal Score(Signal signal, SeriesStrategy strategy) =>
        _scorer.Score(signal, new ConfidenceInputs(_context.Current, strategy.Style, strategy.RecentOutcomes, RunningSignals()));

    private List<OpenSignal> RunningSignals() =>
        _strategies.Concat(_retired)
            .SelectMany(s => s.Book.Running.Select(t => new OpenSignal(t.SignalId, s.Id, Series.Instrument, t.Direction,
                t.SignalTime + Series.Timeframe.Duration, DateTime.MaxValue)))
            .ToList();

    public SeriesRunnerState Snapshot()
    {
        var state = new SeriesRunnerState { MarketContext = _context.Snapshot() };
        foreach (var strategy in _strategies.Concat(_retired))
        {
            if (strategy.IsConfigured)
            {
                state.Strategies[strategy.Id] = strategy.Strategy.Snapshot();
            }

            if (strategy.OpenCount > 0)
            {
                state.OpenOutcomes[strategy.Id] = strategy.Book.Snapshot();
            }

            if (strategy.RecentOutcomes.Count > 0)
            {
                state.RecentOutcomes[strategy.Id] = strategy.RecentOutcomes.ToList();
            }
        }

        return state;
    }

    /// <summary>
    /// Resumes the series from a <see cref="Snapshot"/> with the strategies now configured, each created by
    /// <paramref name="create"/>. A strategy without saved state, or whose saved state does not fit its settings (see
    /// <see cref="Strategy.TryRestore"/>), starts fresh and is listed in <see cref="SeriesRestore.Fresh"/> with the
    /// reason: the caller warms it up. Its running signals and recent outcomes are resumed all the same (they are about
    /// stored signals, not indicators). Running signals of strategies no longer configured keep being followed until
    /// they resolve.
    /// </summary>
    public static SeriesRestore Restore(SeriesKey series, IEnumerable<StrategySettings> strategies, Func<StrategySettings, Strategy> create,
        SeriesRunnerState state, int recentCapacity = DefaultRecentCapacity, ConfidenceScorer? scorer = null)
    {
        var fresh = new List<FreshStrategy>();
        var resumed = new List<SeriesStrategy>();
        foreach (var settings in strategies)
        {
            var strategy = create(settings);
            string? problem = null;
            if (state.Strategies.TryGetValue(settings.Id, out var saved) && !strategy.TryRestore(saved, out problem))
            {
                // A failed restore may have changed part of the indicators: start from a new instance.
                strategy = create(settings);
            }

            if (saved is null || problem is not null)
            {
                fresh.Add(new FreshStrategy(strategy, problem));
            }

            resumed.Add(Resume(settings.Id, strategy, state, recentCapacity));
        }

        var configured = resumed.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var retired = state.OpenOutcomes.Keys.Where(id => !configured.Contains(id)).Order(StringComparer.Ordinal)
            .Select(id => Resume(id, null, state, recentCapacity))
            .Where(r => r.OpenCount > 0)
            .ToList();
        return new SeriesRestore(new SeriesRunner(series, resumed, retired, RestoreContext(state.MarketContext), scorer), fresh);
    }

    /// <summary>The saved context, or a fresh one (to warm up) when there is none or it does not fit.</summary>
    private static MarketContextTracker RestoreContext(IndicatorState? saved)
    {
        var context = new MarketContextTracker();
        if (saved is null)
        {
            return context;
        }

        try
        {
            context.Restore(saved);
            return context;
        }
        catch (InvalidIndicatorStateException)
        {
            return new MarketContextTracker();
        }
    }

    private static SeriesStrategy Resume(string id, Strategy? strategy, SeriesRunnerState state, int recentCapacity)
    {
        var book = state.OpenOutcomes.TryGetValue(id, out var open) ? OutcomeBook.Restore(open) : new OutcomeBook();
        var resumed = new SeriesStrategy(id, strategy, book, recentCapacity);
        foreach (var outcome in state.RecentOutcomes.GetValueOrDefault(id) ?? [])
        {
            resumed.Remember(outcome);
        }

        return resumed;
    }
}

/// <summary>One strategy of a <see cref="SeriesRunner"/>: the strategy, its running signals and its recent resolved outcomes.</summary>
public sealed class SeriesStrategy
{
    private readonly Queue<SignalOutcome> _recent;
    private readonly int _recentCapacity;
    private readonly List<OutcomeTracker> _resolvedNow = [];
    private readonly Strategy? _strategy;

    internal SeriesStrategy(string id, Strategy? strategy, OutcomeBook book, int recentCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(recentCapacity, 1);
        Id = id;
        _strategy = strategy;
        Style = strategy is null ? StrategyStyle.TrendFollowing : StrategyKinds.Default.Find(strategy.Settings.Kind)?.Style ?? StrategyStyle.TrendFollowing;
        Book = book;
        _recentCapacity = recentCapacity;
        // Grows as outcomes resolve: most series hold few, and a queue sized up front cost every series half a KiB.
        _recent = new Queue<SignalOutcome>();
    }

    public string Id { get; }

    /// <summary>The strategy (a retired one, no longer configured, has none and is never listed in <see cref="SeriesRunner.Strategies"/>).</summary>
    public Strategy Strategy => _strategy ?? throw new InvalidOperationException($"Strategy '{Id}' is no longer configured.");

    internal OutcomeBook Book { get; }

    internal bool IsConfigured => _strategy is not null;

    public int OpenCount => Book.Count;

    /// <summary>The style of the strategy's kind, which the regime factor judges by.</summary>
    public StrategyStyle Style { get; }

    /// <summary>The running signals' open outcomes, oldest signal first.</summary>
    public IEnumerable<SignalOutcome> OpenOutcomes => Book.Open;

    /// <summary>The last resolved outcomes (at most the runner's recent capacity), in the order they resolved.</summary>
    public IReadOnlyCollection<SignalOutcome> RecentOutcomes => _recent;

    /// <summary>The strategy's recent track record: the figures of its <see cref="RecentOutcomes"/>.</summary>
    public OutcomeStatistics RecentStatistics() => OutcomeStatistics.Of(_recent);

    /// <summary>Feeds the candle to the running signals; those it resolves join the recent outcomes and <paramref name="resolved"/>.</summary>
    internal void Resolve(Candle candle, List<ResolvedOutcome> resolved)
    {
        if (Book.Count > 0)
        {
            Book.Update(candle, _resolvedNow);
            if (_resolvedNow.Count > 0)
            {
                foreach (var tracker in _resolvedNow)
                {
                    Remember(tracker.Outcome);
                    resolved.Add(new ResolvedOutcome(Id, tracker.Outcome, tracker.Direction));
                }

                _resolvedNow.Clear();
            }
        }
    }

    /// <summary>Feeds the candle to the strategy; a signal it emits is scored by <paramref name="runner"/> and starts running.</summary>
    internal void Evaluate(Candle candle, List<Signal> signals, SeriesRunner runner)
    {
        if (_strategy?.Update(candle) is { } signal)
        {
            var scored = runner.Score(signal, this);
            signals.Add(scored);
            Book.Add(scored, _strategy.Settings.MaxBarsHeld);
        }
    }

    internal void Remember(SignalOutcome outcome)
    {
        if (_recent.Count == _recentCapacity)
        {
            _recent.Dequeue();
        }

        _recent.Enqueue(outcome);
    }
}

/// <summary>A signal of strategy <paramref name="StrategyId"/>, going <paramref name="Direction"/>, resolved on the candle just fed.</summary>
public sealed record ResolvedOutcome(string StrategyId, SignalOutcome Outcome, SignalDirection Direction);

/// <summary>What one candle produced: the signals emitted and the outcomes resolved, strategy by strategy in configured order.</summary>
public readonly record struct SeriesStep(IReadOnlyList<Signal> Signals, IReadOnlyList<ResolvedOutcome> Resolved);

/// <summary>A resumed <see cref="SeriesRunner"/> and the strategies that start without indicator state (to warm up).</summary>
public sealed record SeriesRestore(SeriesRunner Runner, IReadOnlyList<FreshStrategy> Fresh);

/// <param name="Problem">Why its saved state was not resumed; null when it had none (a new strategy).</param>
public sealed record FreshStrategy(Strategy Strategy, string? Problem);

/// <summary>Everything a <see cref="SeriesRunner"/> holds, by strategy id.</summary>
[GenerateSerializer]
public sealed class SeriesRunnerState
{
    /// <summary>Each configured strategy's indicator state.</summary>
    [Id(0)] public Dictionary<string, StrategyState> Strategies { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Each strategy's signals still running (retired strategies' included).</summary>
    [Id(1)] public Dictionary<string, List<OutcomeTrackerState>> OpenOutcomes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Each strategy's last resolved outcomes, in the order they resolved.</summary>
    [Id(2)] public Dictionary<string, List<SignalOutcome>> RecentOutcomes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The series' market context (<see cref="MarketContextTracker"/>); null in state saved before it existed.</summary>
    [Id(3)] public IndicatorState? MarketContext { get; set; }
}
