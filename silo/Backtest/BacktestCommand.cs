using SignalFlow.Backtesting;
using SignalFlow.Candles;
using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Signals;
using SignalFlow.Silo.Hosting;
using SignalFlow.Strategies;

namespace SignalFlow.Silo.Backtest;

/// <summary>
/// The <c>backtest</c> verb: candles from a CSV file go through the strategies and the outcome tracker on the fast path
/// (<see cref="FastBacktest"/>: the live grains' strategy and outcome classes, without grains, streams or storage;
/// tests prove it emits the grain pipeline's signals). Each signal is printed as a JSON line; the outcome figures go to
/// standard error as a table, and to <c>--report</c> and <c>--chart</c> files when asked. Standard output carries
/// only the signal lines.
/// </summary>
public static class BacktestCommand
{
    public const int ExitOk = 0;
    public const int ExitFailure = 1;
    public const int ExitBadInput = 2;

    /// <summary>Candles sent per ingestion call; the next chunk waits until the previous one is processed.</summary>
    private const int ChunkSize = 500;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        BacktestArguments arguments;
        BacktestPlan plan;
        try
        {
            arguments = BacktestArguments.Parse(args);
            if (new[] { arguments.ReportPath, arguments.ChartPath }.FirstOrDefault(p => p is not null && !DirectoryExists(p)) is { } unwritable)
            {
                throw new BacktestInputException($"cannot write '{unwritable}': its directory does not exist.");
            }

            plan = BacktestPlan.Prepare(arguments, error);
        }
        catch (BacktestUsageException ex)
        {
            await error.WriteLineAsync($"backtest: {ex.Message}\n{BacktestArguments.Usage}");
            return ExitBadInput;
        }
        catch (Exception ex) when (ex is CandleCsvException or StrategyConfigurationException or BacktestInputException)
        {
            await error.WriteLineAsync($"backtest: {ex.Message}");
            return ExitBadInput;
        }

        try
        {
            var result = FastBacktest.Run(plan.Series, plan.Candles, plan.Strategies, TimeProvider.System, scorer: ConfidenceWeightsOfSilo());
            foreach (var skipped in result.Skipped)
            {
                await error.WriteLineAsync($"backtest: warning: {skipped}: not used.");
            }

            var signals = result.Runs.SelectMany(r => r.Signals).OrderBy(s => s.Time).ThenBy(s => s.StrategyId, StringComparer.Ordinal).ToList();
            foreach (var signal in signals)
            {
                await output.WriteLineAsync(SignalJson.ToJsonLine(signal));
            }

            await output.FlushAsync(cancellationToken);
            await error.WriteLineAsync(
                $"backtest: {plan.Candles.Count} candles of {plan.Series}, {plan.Strategies.Count} strategies ({string.Join(", ", plan.Strategies.Select(s => $"{s.Id} [{s.Kind}]"))}), {signals.Count} signals.");
            var console = ReportConsole.Create(error);
            console.Write(OutcomeTable.Build(result.Runs));
            console.Write(OutcomeTable.ByConfidence(result.Runs));
            if (arguments.ReportPath is { } report)
            {
                BacktestReportFile.Write(report, result.Runs);
                await error.WriteLineAsync($"backtest: report written to {report}.");
            }

            if (arguments.ChartPath is { } chart)
            {
                EquityChart.Save(chart, result.Runs, $"{plan.Series}: cumulative R and drawdown");
                await error.WriteLineAsync($"backtest: chart written to {chart}.");
            }

            return ExitOk;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await error.WriteLineAsync($"backtest: failed: {ex}");
            return ExitFailure;
        }
    }

    /// <summary>The confidence weights the silo would use: its appsettings.json and SignalFlow__Confidence__Weights__* environment variables.</summary>
    private static Quality.ConfidenceScorer ConfidenceWeightsOfSilo() => ConfidenceHosting.ScorerFrom(new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .Build());

    private static bool DirectoryExists(string path) => Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(path)));

    /// <summary>
    /// Runs the plan through a fresh in-process silo on the live path (ingestion grain, candle stream, strategy grains,
    /// signal store) and returns the stored signals in candle-time order: the reference the cluster failover test and
    /// the benchmark harness use.
    /// </summary>
    public static async Task<IReadOnlyList<Signal>> RunPipelineAsync(BacktestPlan plan, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Serilog:MinimumLevel:Override:SignalFlow.Silo.Backtest"] = "Information",
        });
        builder.Services.AddSignalFlowLogging(builder.Configuration, logToStandardError: true);
        builder.Services.AddSingleton(new StrategyCatalog(plan.Strategies));
        builder.Services.AddSignalFlowPipeline();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(LoopbackPort.Free(), LoopbackPort.Free(), serviceId: "signalflow-backtest", clusterId: $"backtest-{Guid.NewGuid():N}");
            silo.AddSignalFlowGrains();
            silo.AddSignalFlowStorage(builder.Configuration);
        });
        FirstUseOriginTimeProvider.Register(builder.Services);

        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        try
        {
            await ReplayAsync(host.Services, plan.Series, plan.Candles, cancellationToken);
            var store = host.Services.GetRequiredService<ISignalStore>();
            var signals = await store.QueryAsync(new SignalQuery(plan.Series.Instrument, plan.Series.Timeframe, Limit: int.MaxValue), cancellationToken);
            return signals.OrderBy(s => s.Time).ThenBy(s => s.StrategyId, StringComparer.Ordinal).ToList();
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Feeds candles through the series' ingestion grain and waits until the strategy grain has processed the last
    /// one published. Chunks keep the stream queue short: the next goes out once the previous is processed.
    /// </summary>
    public static async Task ReplayAsync(IServiceProvider services, SeriesKey series, IReadOnlyList<Candle> candles, CancellationToken cancellationToken)
    {
        var ingestion = services.GetRequiredService<IGrainFactory>().GetGrain<ICandleIngestionGrain>(series.Instrument.Name);
        var tracker = services.GetRequiredService<CandleProcessingTracker>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BacktestCommand));
        DateTime? lastPublished = null;
        foreach (var chunk in candles.Chunk(ChunkSize))
        {
            if (lastPublished is { } previous)
            {
                await tracker.WaitForAsync(series, previous, cancellationToken);
            }

            var results = await ingestion.PublishClosedCandlesAsync(chunk);
            for (var i = 0; i < chunk.Length; i++)
            {
                if (results[i].Outcome == CandleIngestOutcome.Published)
                {
                    lastPublished = chunk[i].Time;
                }
                else
                {
                    logger.LogWarning("Candle {CandleTime:O} not used ({Outcome}): {Reason}", chunk[i].Time, results[i].Outcome, results[i].Reason);
                }
            }
        }

        if (lastPublished is { } last)
        {
            await tracker.WaitForAsync(series, last, cancellationToken);
        }
    }
}
