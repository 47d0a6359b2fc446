using System.Text.Json;
using SignalFlow.Domain;
using SignalFlow.Outcomes;
using SignalFlow.Persistence;
using SignalFlow.Strategies;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Strategies;

public class SeriesRunnerTests
{
    private static readonly SeriesKey Series = SeriesKey.Parse("EUR_USD_H4");

    /// <summary>Every kind on the series, one of them with an expiry so that all three results occur.</summary>
    private static readonly IReadOnlyList<StrategySettings> Strategies =
    [
        PipelineCluster.Permissive(Series) with { MaxBarsHeld = 12 },
        .. PipelineCluster.OtherKinds(Series),
    ];

    private static Strategy Create(StrategySettings settings) => StrategyKinds.Default.Create(settings, TimeProvider.System);

    private static SeriesRunner Fresh(IEnumerable<StrategySettings> strategies, int recentCapacity = SeriesRunner.DefaultRecentCapacity) =>
        new(Series, strategies.Select(Create), recentCapacity);

    /// <summary>The state as the grain's storage would give it back (persisted JSON, not the live objects).</summary>
    private static SeriesRunnerState Persisted(SeriesRunnerState state) =>
        JsonSerializer.Deserialize<SeriesRunnerState>(JsonSerializer.Serialize(state, PersistenceJson.Options), PersistenceJson.Options)!;

    private static (List<Signal> Signals, List<ResolvedOutcome> Resolved) Collect(List<Signal> signals, List<ResolvedOutcome> resolved, SeriesStep step)
    {
        signals.AddRange(step.Signals.Select(s => s with { CreatedAt = default }));
        resolved.AddRange(step.Resolved);
        return (signals, resolved);
    }

    [Fact]
    public void Resuming_from_a_persisted_snapshot_at_any_point_continues_exactly_like_an_uninterrupted_run()
    {
        var candles = SampleData.Candles(Series);
        var uninterrupted = Fresh(Strategies);
        List<Signal> expectedSignals = [];
        List<ResolvedOutcome> expectedResolved = [];
        foreach (var candle in candles)
        {
            Collect(expectedSignals, expectedResolved, uninterrupted.Step(candle));
        }

        var runner = Fresh(Strategies);
        List<Signal> signals = [];
        List<ResolvedOutcome> resolved = [];
        for (var i = 0; i < candles.Count; i++)
        {
            if (i % 97 == 50)
            {
                var restore = SeriesRunner.Restore(Series, Strategies, Create, Persisted(runner.Snapshot()));
                Assert.Empty(restore.Fresh);
                runner = restore.Runner;
            }

            Collect(signals, resolved, runner.Step(candles[i]));
        }

        Assert.Equal(expectedSignals, signals);
        Assert.Equal(expectedResolved, resolved);
        Assert.Equal(JsonSerializer.Serialize(uninterrupted.Snapshot(), PersistenceJson.Options), JsonSerializer.Serialize(runner.Snapshot(), PersistenceJson.Options));
        Assert.Contains(resolved, r => r.Outcome.Result == OutcomeResult.Win);
        Assert.Contains(resolved, r => r.Outcome.Result == OutcomeResult.Loss);
        Assert.Contains(resolved, r => r.Outcome.Result == OutcomeResult.Expired);
    }

    [Fact]
    public void An_outcome_is_resolved_from_later_candles_and_a_signal_never_on_its_own_candle()
    {
        var candles = SampleData.Candles(Series);
        var runner = Fresh(Strategies);
        var emitted = new Dictionary<string, DateTime>();
        var resolved = 0;
        foreach (var candle in candles)
        {
            var step = runner.Step(candle);
            resolved += step.Resolved.Count;
            foreach (var outcome in step.Resolved)
            {
                Assert.True(emitted[outcome.Outcome.SignalId] < candle.Time);
                Assert.Equal(candle.Time, outcome.Outcome.ExitTime);
                Assert.StartsWith(outcome.StrategyId + ":", outcome.Outcome.SignalId, StringComparison.Ordinal);
            }

            foreach (var signal in step.Signals)
            {
                emitted.Add(signal.Id, candle.Time);
            }
        }

        Assert.Equal(emitted.Count, resolved + runner.Strategies.Sum(s => s.OpenCount));
    }

    [Fact]
    public void Recent_outcomes_keep_the_last_resolved_up_to_the_capacity()
    {
        var runner = Fresh(Strategies, recentCapacity: 3);
        List<Signal> signals = [];
        List<ResolvedOutcome> resolved = [];
        foreach (var candle in SampleData.Candles(Series))
        {
            Collect(signals, resolved, runner.Step(candle));
        }

        foreach (var strategy in runner.Strategies)
        {
            var all = resolved.Where(r => r.StrategyId == strategy.Id).Select(r => r.Outcome).ToList();
            Assert.True(all.Count > 3, $"{strategy.Id} resolved {all.Count}");
            Assert.Equal(all.TakeLast(3), strategy.RecentOutcomes);
            Assert.Equal(OutcomeStatistics.Of(all.TakeLast(3)), strategy.RecentStatistics());
        }
    }

    [Fact]
    public void A_strategy_whose_settings_changed_starts_fresh_and_keeps_following_its_stored_signals()
    {
        var candles = SampleData.Candles(Series);
        var runner = Fresh(Strategies);
        var middle = candles.Count / 2;
        foreach (var candle in candles.Take(middle))
        {
            runner.Step(candle);
        }

        var changed = Strategies.Select((s, i) => i == 0 ? s with { AtrPeriod = s.AtrPeriod + 1 } : s).ToList();
        var open = runner.Strategies[0].OpenOutcomes.Select(o => o.SignalId).ToList();
        var restore = SeriesRunner.Restore(Series, changed, Create, Persisted(runner.Snapshot()));

        var fresh = Assert.Single(restore.Fresh);
        Assert.Equal(changed[0].Id, fresh.Strategy.Settings.Id);
        Assert.Contains("configured as", fresh.Problem);
        Assert.Equal(0, fresh.Strategy.CandlesSeen);
        Assert.Equal(open, restore.Runner.Strategies[0].OpenOutcomes.Select(o => o.SignalId));
        Assert.Equal(runner.Strategies[0].RecentOutcomes, restore.Runner.Strategies[0].RecentOutcomes);
    }

    [Fact]
    public void Stored_signals_of_a_strategy_no_longer_configured_are_followed_until_they_resolve()
    {
        var candles = SampleData.Candles(Series);
        var runner = Fresh(Strategies);
        var i = 0;
        while (runner.Strategies[0].OpenCount == 0)
        {
            runner.Step(candles[i++]);
        }

        var open = runner.Strategies[0].OpenOutcomes.Select(o => o.SignalId).ToHashSet();
        var restore = SeriesRunner.Restore(Series, Strategies.Skip(1), Create, Persisted(runner.Snapshot()));
        var resumed = restore.Runner;
        Assert.Equal(open.Count, resumed.RetiredOpenSignals);
        Assert.DoesNotContain(resumed.Strategies, s => s.Id == Strategies[0].Id);

        var retiredResolved = new List<string>();
        for (; i < candles.Count && resumed.RetiredOpenSignals > 0; i++)
        {
            var step = resumed.Step(candles[i]);
            retiredResolved.AddRange(step.Resolved.Where(r => r.StrategyId == Strategies[0].Id).Select(r => r.Outcome.SignalId));
            Assert.DoesNotContain(step.Signals, s => s.StrategyId == Strategies[0].Id);
        }

        Assert.Equal(open, retiredResolved.ToHashSet());
        Assert.False(resumed.Snapshot().OpenOutcomes.ContainsKey(Strategies[0].Id));
    }

    [Fact]
    public void Strategies_of_another_series_or_twice_the_same_id_are_refused()
    {
        var other = PipelineCluster.Permissive(SeriesKey.Parse("GBP_JPY_H4"));
        Assert.Contains("trades GBP_JPY_H4", Assert.Throws<ArgumentException>(() => Fresh([other])).Message);
        Assert.Contains("given twice", Assert.Throws<ArgumentException>(() => Fresh([Strategies[0], Strategies[0]])).Message);
    }
}
