using SignalFlow.Backtesting;
using SignalFlow.Outcomes;

namespace SignalFlow.Silo.Backtest;

/// <summary>
/// The <c>--chart</c> image (ScottPlot): cumulative R of each strategy and of the whole run, closed outcomes in exit
/// order (as the drawdown of §4 counts them), and the run's drawdown below zero.
/// </summary>
public static class EquityChart
{
    public const int Width = 1200;
    public const int Height = 600;

    public static void Save(string path, IReadOnlyList<StrategyRun> runs, string title)
    {
        var plot = new ScottPlot.Plot();
        if (runs.Count > 1)
        {
            foreach (var run in runs)
            {
                AddEquity(plot, run.Outcomes, run.Settings.Id, 1);
            }
        }

        var all = runs.SelectMany(r => r.Outcomes).ToList();
        var (times, equity) = AddEquity(plot, all, runs.Count > 1 ? "combined" : runs.Single().Settings.Id, 2.5f);
        var drawdown = new double[equity.Length];
        var peak = 0.0;
        for (var i = 0; i < equity.Length; i++)
        {
            peak = Math.Max(peak, equity[i]);
            drawdown[i] = equity[i] - peak;
        }

        var fill = plot.Add.FillY(times, drawdown, new double[drawdown.Length]);
        fill.LegendText = "drawdown (R)";
        fill.FillColor = ScottPlot.Colors.Red.WithAlpha(0.3);
        fill.LineColor = ScottPlot.Colors.Red.WithAlpha(0.6);

        plot.Axes.DateTimeTicksBottom();
        plot.Add.HorizontalLine(0, 1, ScottPlot.Colors.Gray);
        plot.Title(title);
        plot.YLabel("R");
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        plot.SavePng(path, Width, Height);
    }

    /// <summary>Adds a cumulative-R step line starting at 0 on the first signal's time; returns its points.</summary>
    private static (double[] Times, double[] Equity) AddEquity(ScottPlot.Plot plot, IReadOnlyList<SignalOutcome> outcomes, string label, float width)
    {
        var closed = OutcomeStatistics.InExitOrder(outcomes).ToList();
        var start = outcomes.Count > 0 ? outcomes.Min(o => o.SignalTime) : DateTime.UnixEpoch;
        var times = new List<double> { start.ToOADate() };
        var equity = new List<double> { 0 };
        foreach (var outcome in closed)
        {
            times.Add(outcome.ExitTime!.Value.ToOADate());
            equity.Add(equity[^1] + (outcome.RMultiple ?? 0));
        }

        var line = plot.Add.Scatter(times.ToArray(), equity.ToArray());
        line.LegendText = label;
        line.LineWidth = width;
        line.MarkerSize = 0;
        line.ConnectStyle = ScottPlot.ConnectStyle.StepHorizontal;
        return (times.ToArray(), equity.ToArray());
    }
}
