using System.Text.Json;
using SignalFlow.Domain;
using SignalFlow.Outcomes;

namespace SignalFlow.Tests.Outcomes;

/// <summary>The report figures of STRATEGIES.md §4 on small hand-computed sequences.</summary>
public class OutcomeReportTests
{
    private static readonly DateTime T0 = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static DateTime T(int hours) => T0.AddHours(hours);

    private static SignalOutcome Closed(string id, int signal, int exit, OutcomeResult result, double r, double pips, int bars) =>
        new(id, T(signal), result, T(exit), 1.1, bars, pips, r);

    private static SignalOutcome Open(string id, int signal, int bars) => new(id, T(signal), OutcomeResult.Open, null, null, bars, null, null);

    // In signal order A, B, C, D, E; in exit order B (t3), C (t4), D (t8), A (t9). Cumulative R in exit order:
    // +2, +1, +1.5, +0.5, so the largest fall is from 2 to 0.5 = 1.5; in signal order it would be -1, +1, 0, 0.5: 1.
    private static readonly SignalOutcome[] Sequence =
    [
        Closed("A", 1, 9, OutcomeResult.Loss, -1, -50, 8),
        Closed("B", 2, 3, OutcomeResult.Win, 2, 100, 1),
        Closed("C", 3, 4, OutcomeResult.Loss, -1, -50, 1),
        Closed("D", 4, 8, OutcomeResult.Expired, 0.5, 25, 4),
        Open("E", 5, 3),
    ];

    [Fact]
    public void Figures_are_over_the_closed_outcomes_and_the_drawdown_follows_exit_time()
    {
        var report = OutcomeReport.Of(Sequence.Reverse());

        Assert.Equal(new OutcomeStatistics(Signals: 5, Wins: 1, Losses: 2, Expired: 1, Open: 1, WinRate: 0.25,
            ProfitFactor: 2.5 / 2, ExpectancyR: 0.5 / 4, TotalR: 0.5, TotalPips: 25, MaxDrawdownR: 1.5, AvgBarsHeld: 14 / 4.0), report.Statistics);
        Assert.Equal(["A", "B", "C", "D", "E"], report.Outcomes.Select(o => o.SignalId));
    }

    [Fact]
    public void Without_a_negative_r_the_profit_factor_is_null()
    {
        var statistics = OutcomeStatistics.Of([Sequence[1], Sequence[3], Sequence[4]]);

        Assert.Null(statistics.ProfitFactor);
        Assert.Equal(0.5, statistics.WinRate);
        Assert.Equal(0, statistics.MaxDrawdownR);
        Assert.Equal(1.25, statistics.ExpectancyR);
    }

    [Fact]
    public void Without_a_closed_outcome_the_ratios_are_null()
    {
        var statistics = OutcomeStatistics.Of([Sequence[4]]);

        Assert.Equal(new OutcomeStatistics(1, 0, 0, 0, 1, null, null, null, 0, 0, 0, null), statistics);
    }

    [Fact]
    public void The_json_has_the_snake_case_keys_of_the_report()
    {
        using var json = JsonDocument.Parse(OutcomeReport.Of(Sequence).ToJson());
        var root = json.RootElement;

        Assert.Equal(["signals", "wins", "losses", "expired", "open", "win_rate", "profit_factor", "expectancy_r", "total_r", "total_pips",
            "max_drawdown_r", "avg_bars_held", "by_confidence", "outcomes"], root.EnumerateObject().Select(p => p.Name));
        var first = root.GetProperty("outcomes")[0];
        Assert.Equal(["signal_id", "result", "exit_time", "exit_price", "bars_held", "pips", "r_multiple"], first.EnumerateObject().Select(p => p.Name));
        Assert.Equal("loss", first.GetProperty("result").GetString());
        Assert.Equal(T(9), first.GetProperty("exit_time").GetDateTime().ToUniversalTime());
        Assert.Equal("open", root.GetProperty("outcomes")[4].GetProperty("result").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("outcomes")[4].GetProperty("r_multiple").ValueKind);
        Assert.Equal(1.5, root.GetProperty("max_drawdown_r").GetDouble());
    }

    [Fact]
    public void A_track_record_window_holds_the_last_resolved_by_exit_time()
    {
        var signal = OutcomeTrackerTests.SignalAt(SignalDirection.Buy, 1.1, 1.09, 1.12);
        var other = signal with { StrategyId = "other" };
        var outcomes = Sequence.Select(o => (signal, o)).Append((other, Closed("F", 6, 7, OutcomeResult.Win, 2, 100, 1))).ToList();

        var byStrategy = TrackRecord.ByStrategy(outcomes, recentWindow: 2);
        var record = byStrategy["test"];

        Assert.Equal(5, record.AllTime.Signals);
        // The last two resolved by exit time are D (t8, +0.5) and A (t9, -1).
        Assert.Equal(new OutcomeStatistics(2, 0, 1, 1, 0, 0, 0.5, -0.25, -0.5, -25, 1, 6), record.Recent);
        Assert.Equal(1, byStrategy["other"].AllTime.Wins);
        Assert.Equal(6, Assert.Single(TrackRecord.BySeries(outcomes, 10)).Value.AllTime.Signals);
    }
}
