using SignalFlow.Domain;
using SignalFlow.Outcomes;

namespace SignalFlow.Strategies;

/// <summary>
/// All the strategies of one series, candle by candle: each strategy, the <see cref="OutcomeBook"/> of its signals
/// still running, and its last resolved outcomes (its recent track record). The live strategy grain and the fast
/// backtest both step through this one class, so the live path and the backtest cannot diverge. Its whole state is
/// <see cref="Snapshot"/>; <see cref="Restore"/> resumes it exactly.
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

    /// <param name="strategies">The series' strategies, fresh or already restored (<see cref="Strategy.TryRestore"/>).</param>
    /// <param name="recentCapacity">Resolved outcomes kept per strategy for its recent track record.</param>
    public SeriesRunner(SeriesKey series, IEnumerable<Strategy> strategies, int recentCapacity = DefaultRecentCapacity)
        : this(series, strategies.Select(s => new SeriesStrategy(s.Settings.Id, s, new OutcomeBook(), recentCapacity)), [])
    {
    }

    private SeriesRunner(SeriesKey series, IEnumerable<SeriesStrategy> strategies, List<SeriesStrategy> retired)
    {
        Series = series;
        _strategies = strategies.ToArray();
        _retired = retired;
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

    /// <summary>Signals still running of strategies no longer configured (followed until they resolve).</summary>
    public int RetiredOpenSignals => _retired.Sum(r => r.OpenCount);

    /// <summary>
    /// Feeds one closed candle: first every running signal's outcome (a signal never resolves on its own candle), then
    /// every strategy, whose new signals start running from the next candle. The candle must be newer than the last.
    /// </summary>
    /// <returns>What the candle produced; its lists are reused by the next <see cref="Step"/>.</returns>
    public SeriesStep Step(Candle candle)
    {
        _signals.Clear();
        _resolved.Clear();
        foreach (var strategy in _strategies)
        {
            strategy.Step(candle, _signals, _resolved);
        }

        if (_retired.Count > 0)
        {
            foreach (var retired in _retired)
            {
                retired.Step(candle, _signals, _resolved);
            }

            _retired.RemoveAll(r => r.OpenCount == 0);
        }

        return new SeriesStep(_signals, _resolved);
    }

    public SeriesRunnerState Snapshot()
    {
        var state = new SeriesRunnerState();
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
        SeriesRunnerState state, int recentCapacity = DefaultRecentCapacity)
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
        return new SeriesRestore(new SeriesRunner(series, resumed, retired), fresh);
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
    private readonly List<SignalOutcome> _resolvedNow = [];
    private readonly Strategy? _strategy;

    internal SeriesStrategy(string id, Strategy? strategy, OutcomeBook book, int recentCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(recentCapacity, 1);
        Id = id;
        _strategy = strategy;
        Book = book;
        _recentCapacity = recentCapacity;
        _recent = new Queue<SignalOutcome>(Math.Min(recentCapacity, 64));
    }

    public string Id { get; }

    /// <summary>The strategy (a retired one, no longer configured, has none and is never listed in <see cref="SeriesRunner.Strategies"/>).</summary>
    public Strategy Strategy => _strategy ?? throw new InvalidOperationException($"Strategy '{Id}' is no longer configured.");

    internal OutcomeBook Book { get; }

    internal bool IsConfigured => _strategy is not null;

    public int OpenCount => Book.Count;

    /// <summary>The running signals' open outcomes, oldest signal first.</summary>
    public IEnumerable<SignalOutcome> OpenOutcomes => Book.Open;

    /// <summary>The last resolved outcomes (at most the runner's recent capacity), in the order they resolved.</summary>
    public IReadOnlyCollection<SignalOutcome> RecentOutcomes => _recent;

    /// <summary>The strategy's recent track record: the figures of its <see cref="RecentOutcomes"/>.</summary>
    public OutcomeStatistics RecentStatistics() => OutcomeStatistics.Of(_recent);

    internal void Step(Candle candle, List<Signal> signals, List<ResolvedOutcome> resolved)
    {
        if (Book.Count > 0)
        {
            Book.Update(candle, _resolvedNow);
            if (_resolvedNow.Count > 0)
            {
                foreach (var outcome in _resolvedNow)
                {
                    Remember(outcome);
                    resolved.Add(new ResolvedOutcome(Id, outcome));
                }

                _resolvedNow.Clear();
            }
        }

        if (_strategy?.Update(candle) is { } signal)
        {
            signals.Add(signal);
            Book.Add(signal, _strategy.Settings.MaxBarsHeld);
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

/// <summary>A signal of strategy <paramref name="StrategyId"/> resolved on the candle just fed.</summary>
public sealed record ResolvedOutcome(string StrategyId, SignalOutcome Outcome);

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
}
