namespace SignalFlow.Benchmarks;

/// <summary>The harness's command line: <c>[--quick] [--json FILE] [--only GROUP,...] [--scale [MINUTES]]</c>.</summary>
/// <param name="Only">The pipeline figure groups to measure (<see cref="PipelineFigures.Groups"/>); null: every figure.</param>
internal sealed record BenchmarkOptions(bool Quick, string? JsonPath, double? ScaleMinutes, IReadOnlySet<string>? Only = null)
{
    /// <summary>Wall-clock minutes the scale test compresses its simulated hour into, unless given.</summary>
    public const double DefaultScaleMinutes = 4;

    public const string Usage = "usage: SignalFlow.Benchmarks [--quick] [--json FILE] [--only memory,ticks,redis,mongo,memory-per-series,idle] | --scale [WALL_MINUTES]";

    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var quick = false;
        string? json = null;
        double? scale = null;
        HashSet<string>? only = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--json" when i + 1 < args.Count:
                    json = args[++i];
                    break;
                case "--only" when i + 1 < args.Count:
                    only = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
                    if (only.FirstOrDefault(g => !PipelineFigures.Groups.Contains(g)) is { } unknown)
                    {
                        throw new ArgumentException($"unknown figure group '{unknown}'; {Usage}");
                    }

                    break;
                case "--scale":
                    scale = DefaultScaleMinutes;
                    if (i + 1 < args.Count && double.TryParse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture, out var minutes) && minutes > 0)
                    {
                        scale = minutes;
                        i++;
                    }

                    break;
                default:
                    throw new ArgumentException($"unknown or incomplete argument '{args[i]}'; {Usage}");
            }
        }

        return new BenchmarkOptions(quick, json, scale, only);
    }
}

/// <summary>How much work each figure does: the full run for the documented figures, the quick one for CI.</summary>
internal sealed record BenchmarkSizes(
    int PipelineSeries, int PipelineCandlesPerSeries, int PipelineRuns,
    int RedisSeries, int RedisCandlesPerSeries, int RedisRuns,
    int LiveSeries, int LiveCandles, int Webhooks,
    int TickCandles, int TicksPerCandle, int TickRuns,
    int MemorySeries, TimeSpan IdleWindow)
{
    public static readonly BenchmarkSizes Full = new(
        PipelineSeries: 32, PipelineCandlesPerSeries: 1000, PipelineRuns: 3,
        RedisSeries: 16, RedisCandlesPerSeries: 500, RedisRuns: 3,
        LiveSeries: 16, LiveCandles: 400, Webhooks: 200,
        TickCandles: 300, TicksPerCandle: 400, TickRuns: 3,
        MemorySeries: 10_000, IdleWindow: TimeSpan.FromSeconds(30));

    public static readonly BenchmarkSizes Quick = new(
        PipelineSeries: 4, PipelineCandlesPerSeries: 150, PipelineRuns: 1,
        RedisSeries: 2, RedisCandlesPerSeries: 100, RedisRuns: 1,
        LiveSeries: 4, LiveCandles: 24, Webhooks: 10,
        TickCandles: 10, TicksPerCandle: 100, TickRuns: 1,
        MemorySeries: 200, IdleWindow: TimeSpan.FromSeconds(3));
}
