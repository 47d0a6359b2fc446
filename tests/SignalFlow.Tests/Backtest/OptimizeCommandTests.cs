using System.Text.Json;
using SignalFlow.Domain;
using SignalFlow.Silo.Backtest;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Backtest;

public sealed class OptimizeCommandTests : IDisposable
{
    private readonly string _workDirectory = Directory.CreateTempSubdirectory("signalflow-optimize-").FullName;

    public void Dispose() => Directory.Delete(_workDirectory, recursive: true);

    private static readonly string Candles = SampleData.CandleFile(SeriesKey.Parse("EUR_USD_H4"));

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await OptimizeCommand.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Writes_the_ranked_candidates_as_json_and_a_table_on_standard_error()
    {
        var path = Path.Combine(_workDirectory, "ranking.json");

        var (exit, output, error) = await RunAsync("--candles", Candles, "--strategies", SampleData.StrategiesPath, "--strategy", "EUR_USD_H4",
            "--grid", "fast_ma=10..40:10,slow_ma=50..150:50", "--min-trades", "2", "--top", "3", "--output", path);

        Assert.True(exit == 0, error);
        Assert.Empty(output);
        Assert.Contains("OOS total R", error);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        var root = json.RootElement;
        Assert.Equal(12, root.GetProperty("candidates").GetInt32());
        var ranked = root.GetProperty("ranked").EnumerateArray().ToList();
        Assert.Equal(12, ranked.Count);
        Assert.Equal(["rank", "parameters", "qualified", "in_sample", "out_of_sample"], ranked[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(["fast_ma", "slow_ma"], ranked[0].GetProperty("parameters").EnumerateObject().Select(p => p.Name));
        Assert.True(ranked[0].GetProperty("out_of_sample").TryGetProperty("expectancy_r", out _));
        Assert.Equal(Enumerable.Range(1, 12), ranked.Select(r => r.GetProperty("rank").GetInt32()));
    }

    [Fact]
    public async Task Repeated_runs_name_the_same_best_candidate()
    {
        string[] args = ["--candles", Candles, "--strategies", SampleData.StrategiesPath, "--strategy", "EUR_USD_H4", "--grid", "fast_ma=5..50:5,slow_ma=60..160:20"];

        var first = await RunAsync(args);
        var second = await RunAsync(args);

        Assert.True(first.Exit == 0, first.Error);
        Assert.Equal(first.Output, second.Output);
    }

    [Theory]
    [InlineData("fast_ma=60..10:5", "invalid --grid: fast_ma: the range 60..10:5 is empty")]
    [InlineData("fast_ma=10..60:5,bogus=3", "invalid --grid: unknown key 'bogus' for kind ma_crossover")]
    [InlineData("fast_ma=200..250:10", "invalid --grid: no combination of the grid can run")]
    public async Task A_bad_grid_exits_with_2_before_any_work(string grid, string expected)
    {
        var (exit, output, error) = await RunAsync("--candles", Candles, "--strategies", SampleData.StrategiesPath, "--strategy", "EUR_USD_H4", "--grid", grid);

        Assert.Equal(BacktestCommand.ExitBadInput, exit);
        Assert.Empty(output);
        Assert.Contains(expected, error);
        Assert.DoesNotContain("candidates of", error);
    }

    [Theory]
    [InlineData("--candles", "a.csv", "--strategies", "s.json", "--strategy", "X")]
    [InlineData("--candles", "a.csv", "--strategies", "s.json", "--strategy", "X", "--grid", "fast_ma=5", "--in-sample", "1.5")]
    [InlineData("--candles", "a.csv", "--strategies", "s.json", "--strategy", "X", "--grid", "fast_ma=5", "--bogus", "1")]
    public async Task Bad_arguments_print_usage(params string[] args)
    {
        var (exit, _, error) = await RunAsync(args);

        Assert.Equal(BacktestCommand.ExitBadInput, exit);
        Assert.Contains("usage: optimize", error);
    }
}
