using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SignalFlow.Cli;
using SignalFlow.Client;
using SignalFlow.Backtesting;
using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Persistence.Redis;
using SignalFlow.Signals;
using SignalFlow.Silo.Backtest;
using SignalFlow.Tests.Support;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace SignalFlow.Tests.Cluster;

/// <summary>
/// Three real silo processes on a real Redis: a sample series is replayed through the cluster from an external
/// client, one silo is killed with SIGKILL mid-replay and later another is stopped with SIGTERM, and the stored
/// signals and their recorded outcomes must equal the backtest's (the open outcome trackers survive both in the
/// strategy grain's state; each outcome is recorded once).
/// </summary>
[Collection(SiloProcess.Collection)]
public sealed class ClusterFailoverTests(ITestOutputHelper output)
{
    private static readonly SeriesKey Series = SeriesKey.Parse("EUR_USD_H4");
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StepLimit = TimeSpan.FromSeconds(30);

    // Waiting on real processes: poll their state at this pace, always against a deadline.
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private const int ChunkSize = 300;
    private const string ServiceId = "signalflow-failover-test";

    [SkippableFact]
    public async Task Killing_one_silo_and_stopping_another_mid_replay_loses_no_signal_and_duplicates_none()
    {
        Skip.If(RedisServer.Executable is null, "redis-server is not installed (CI installs it: apt-get install redis-server).");
        var plan = BacktestPlan.Prepare(
            new BacktestArguments(SampleData.CandleFile(Series), SampleData.StrategiesPath, Series.ToString(), null, null), TextWriter.Null);
        var backtest = BacktestCommand.RunPipelineAsync(plan, CancellationToken.None);

        await using var redis = await RedisServer.StartAsync();
        var clusterId = $"failover-{Guid.NewGuid():N}";
        var environment = new Dictionary<string, string>
        {
            ["SignalFlow__Cluster__Clustering"] = "Redis",
            ["SignalFlow__Cluster__RedisConnectionString"] = redis.ConnectionString,
            ["SignalFlow__Cluster__ClusterId"] = clusterId,
            ["SignalFlow__Cluster__ServiceId"] = ServiceId,
            ["SignalFlow__Storage__Provider"] = "Redis",
            ["SignalFlow__Storage__RedisConnectionString"] = redis.ConnectionString,
            ["SignalFlow__Feeds__Demo__Enabled"] = "false",
            ["SignalFlow__Recovery__CatchUpInterval"] = "00:00:02",
            ["DOTNET_gcServer"] = "0",
        };

        var clock = Stopwatch.StartNew();
        var silos = new List<SiloProcess>();
        IHost? clientHost = null;
        try
        {
            var starts = Enumerable.Range(1, 3)
                .Select(i => SiloProcess.StartAsync($"silo-{i}", environment, TimeSpan.FromSeconds(90)))
                .ToList();
            try
            {
                await Task.WhenAll(starts);
            }
            finally
            {
                // Whatever failed, every silo that did start is stopped below.
                silos.AddRange(starts.Where(s => s.IsCompletedSuccessfully).Select(s => s.Result));
            }

            Assert.Equal(3, silos.Count);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: three silos up");
            clientHost = await StartClientAsync(redis.ConnectionString, clusterId);
            var client = clientHost.Services.GetRequiredService<SignalFlowClient>();
            Assert.Equal(3, (await client.GetStatusAsync()).ActiveSilos.Count);
            using (var http = new HttpClient())
            {
                Assert.All(await Task.WhenAll(silos.Select(s => http.GetStringAsync(new Uri($"http://127.0.0.1:{s.HttpPort}/health")))),
                    health => Assert.Equal("Healthy", health));
            }

            var chunks = plan.Candles.Chunk(ChunkSize).ToList();
            var killAfter = chunks.Count / 3;
            var terminateAfter = 2 * chunks.Count / 3;
            SiloProcess? victim = null;
            SiloProcess? stopped = null;
            TimeSpan? recovery = null;
            var ingestion = client.Cluster.GetGrain<ICandleIngestionGrain>(Series.Instrument.Name);
            for (var i = 0; i < chunks.Count; i++)
            {
                await PublishAsync(ingestion, chunks[i]);
                if (i == killAfter)
                {
                    // Kill the silo running the strategy grain while this chunk's candles are still on their way.
                    victim = await SiloOfStrategyGrainAsync(client, silos);
                    var killed = Stopwatch.StartNew();
                    victim.Kill();
                    output.WriteLine($"Killed {victim.Name} (silo port {victim.SiloPort}) after publishing candles through {chunks[i][^1].Time:O}");
                    await PublishAsync(ingestion, chunks[++i]);
                    await WaitProcessedThroughAsync(client, chunks[i][^1].Time, RecoveryLimit);
                    output.WriteLine($"Series processed past the kill {killed.Elapsed.TotalSeconds:0.0} s after it");
                    await WaitForDeathDeclaredAsync(client, victim, RecoveryLimit - killed.Elapsed);
                    recovery = killed.Elapsed;
                    output.WriteLine($"Killed silo declared dead; recovered {recovery.Value.TotalSeconds:0.0} s after the kill");
                }
                else if (i == terminateAfter)
                {
                    // Then stop the one running it now gracefully, as `docker stop` does, again mid-flight.
                    stopped = await SiloOfStrategyGrainAsync(client, silos);
                    stopped.Terminate();
                    output.WriteLine($"Sent SIGTERM to {stopped.Name} after publishing candles through {chunks[i][^1].Time:O}");
                    await PublishAsync(ingestion, chunks[++i]);
                    await WaitProcessedThroughAsync(client, chunks[i][^1].Time, RecoveryLimit);
                    Assert.Equal(0, await stopped.WaitForExitAsync(StepLimit));
                }
                else
                {
                    await WaitProcessedThroughAsync(client, chunks[i][^1].Time, StepLimit);
                }
            }

            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: replay of {plan.Candles.Count} candles processed");
            foreach (var line in silos.Where(s => s != victim).SelectMany(s => s.Output.Split(Environment.NewLine)).Where(l => l.Contains("caught up", StringComparison.Ordinal)))
            {
                output.WriteLine(line);
            }

            var expected = await backtest;
            var stored = await StoredSignalsAsync(redis.ConnectionString);
            output.WriteLine($"Backtest: {expected.Count} signals; cluster stored {stored.Count}");
            Assert.NotEmpty(expected);
            foreach (var (want, got) in Describe(expected).Zip(Describe(stored)).Where(p => p.First != p.Second))
            {
                output.WriteLine($"Differs:{Environment.NewLine}  backtest {want}{Environment.NewLine}  cluster  {got}");
            }

            Assert.Equal(Describe(expected), Describe(stored));
            Assert.Equal(stored.Count, stored.Select(s => (s.StrategyId, s.Time)).Distinct().Count());
            Assert.Equal(stored.Count, await IndexedSignalCountAsync(redis.ConnectionString));
            Assert.Equal(Describe(stored), Describe([.. (await client.SearchSignalsAsync(new SignalSearch(Series.Instrument, Series.Timeframe, Limit: ISignalQueryGrain.MaxLimit))).Reverse()]));
            Assert.True(recovery < RecoveryLimit, $"recovery took {recovery}");

            var status = await client.GetStatusAsync();
            Assert.Single(status.ActiveSilos);
            Assert.DoesNotContain(status.ActiveSilos, s => s.Address == $"127.0.0.1:{stopped!.SiloPort}");
            Assert.True(status.ActivationsByGrainType.GetValueOrDefault("StrategyGrain") >= 1);

            // The command-line tool, as an operator runs it against the cluster (patient: a loaded CI machine can take
            // longer than the default 10 s to start a client; the timeout itself is tested in CliProcessTests).
            string[] cliConnection = ["--redis", redis.ConnectionString, "--cluster-id", clusterId, "--service-id", ServiceId, "--connect-timeout", "60"];
            var cliStatus = await CliProcess.RunAsync([.. cliConnection, "status"], StepLimit);
            Assert.True(cliStatus.ExitCode == 0, cliStatus.StandardError);
            Assert.StartsWith("1 active silo(s) of 3", cliStatus.StandardOutput, StringComparison.Ordinal);
            var cliSignals = await CliProcess.RunAsync([.. cliConnection, "signals", "list", "--instrument", "EUR_USD", "--timeframe", "H4", "--limit", "3"], StepLimit);
            Assert.True(cliSignals.ExitCode == 0, cliSignals.StandardError);
            Assert.Equal(expected.TakeLast(3).Reverse().Select(CliOutput.Signal), cliSignals.StandardOutput.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));

            // Live outcomes, through the kill and the stop: exactly the fast backtest's, one per resolved signal.
            var fast = FastBacktest.Run(Series, plan.Candles, plan.Strategies, TimeProvider.System);
            var expectedOutcomes = fast.Runs.SelectMany(r => r.Outcomes).Where(o => o.IsClosed).OrderBy(o => o.SignalId, StringComparer.Ordinal).ToList();
            await using (var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString))
            {
                var keys = new RedisKeys(RedisKeys.DefaultPrefix);
                var recorded = await new RedisSignalStore(connection, keys).GetOutcomesAsync(stored.Select(s => s.Id).ToList());
                output.WriteLine($"Backtest: {expectedOutcomes.Count} resolved signals; cluster recorded {recorded.Count} outcomes");
                Assert.NotEmpty(expectedOutcomes);
                Assert.Equal(expectedOutcomes, recorded.Values.OrderBy(o => o.SignalId, StringComparer.Ordinal));
                Assert.Equal(expectedOutcomes.Count, await connection.GetDatabase().HashLengthAsync(keys.SignalOutcomes));

                // The track record as the CLI shows it, computed by the cluster from those outcomes.
                var cliTrackRecord = await CliProcess.RunAsync([.. cliConnection, "track-record", "--instrument", "EUR_USD", "--timeframe", "H4", "--last", "5"], StepLimit);
                Assert.True(cliTrackRecord.ExitCode == 0, cliTrackRecord.StandardError);
                var view = await new TrackRecordReader(new RedisSignalStore(connection, keys)).ReadAsync(new TrackRecordQuery(Series.Instrument, Series.Timeframe, Last: 5));
                Assert.Equal(CliOutput.TrackRecord(view), cliTrackRecord.StandardOutput.Split(Environment.NewLine).SkipLast(1));
                var allTime = view.Strategies.Single().AllTime;
                var fastStatistics = fast.Runs.Single().Report().Statistics;
                Assert.Equal((fastStatistics.Wins, fastStatistics.Losses, fastStatistics.Expired, fastStatistics.Open),
                    (allTime.Wins, allTime.Losses, allTime.Expired, allTime.Open));
            }
        }
        catch
        {
            foreach (var silo in silos)
            {
                output.WriteLine($"--- {silo.Name} output ---{Environment.NewLine}{silo.Output}");
            }

            throw;
        }
        finally
        {
            if (clientHost is not null)
            {
                await clientHost.StopAsync(TimeSpan.FromSeconds(5));
                clientHost.Dispose();
            }

            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }
        }
    }

    /// <summary>An external client of a Redis-clustered test cluster.</summary>
    internal static async Task<IHost> StartClientAsync(string redis, string clusterId, string serviceId = ServiceId)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.AddSignalFlowClient(new SignalFlowClientOptions
        {
            ClusterId = clusterId,
            ServiceId = serviceId,
            RedisConnectionString = redis,
            ResponseTimeout = TimeSpan.FromSeconds(5),
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>Publishes a chunk, retrying while a dead silo still owns the ingestion grain; repeats are dropped as duplicates.</summary>
    private static async Task PublishAsync(ICandleIngestionGrain ingestion, IReadOnlyList<Candle> chunk)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var results = await ingestion.PublishClosedCandlesAsync(chunk);
                Assert.All(results, r => Assert.True(r.Outcome is CandleIngestOutcome.Published or CandleIngestOutcome.Duplicate or CandleIngestOutcome.OutOfOrder, r.Reason));
                return;
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.XunitException && deadline.Elapsed < RecoveryLimit)
            {
                await Task.Delay(PollInterval);
            }
        }
    }

    private static async Task WaitProcessedThroughAsync(SignalFlowClient client, DateTime candleTime, TimeSpan limit)
    {
        var deadline = Stopwatch.StartNew();
        Exception? lastError = null;
        DateTime? reached = null;
        while (deadline.Elapsed < limit)
        {
            try
            {
                reached = (await client.GetSeriesStatusAsync(Series)).LastCandleTime;
                if (reached >= candleTime)
                {
                    return;
                }
            }
            catch (Exception ex)
            {
                lastError = ex;
            }

            await Task.Delay(PollInterval);
        }

        throw new TimeoutException($"{Series} was processed through {reached:O}, not {candleTime:O}, after {limit}.", lastError);
    }

    private static async Task<SiloProcess> SiloOfStrategyGrainAsync(SignalFlowClient client, IReadOnlyList<SiloProcess> silos)
    {
        var address = await client.Cluster.GetGrain<IManagementGrain>(0)
            .GetActivationAddress(client.Cluster.GetGrain<IStrategyGrain>(Series.ToString()));
        return silos.SingleOrDefault(s => s.SiloPort == address?.Endpoint.Port)
            ?? throw new InvalidOperationException($"The strategy grain of {Series} is on no known silo ({address}).");
    }

    private static async Task WaitForDeathDeclaredAsync(SignalFlowClient client, SiloProcess victim, TimeSpan limit)
    {
        var deadline = Stopwatch.StartNew();
        string? seen = null;
        Exception? lastError = null;
        while (deadline.Elapsed < limit)
        {
            try
            {
                seen = (await client.GetStatusAsync()).Silos.Single(s => s.Address == $"127.0.0.1:{victim.SiloPort}").Status;
                if (seen == nameof(SiloStatus.Dead))
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is not InvalidOperationException)
            {
                // The management grain may have lived on the killed silo until the cluster notices.
                lastError = ex;
            }

            await Task.Delay(PollInterval);
        }

        throw new TimeoutException($"{victim.Name} was still {seen ?? "unknown"} in the membership table {limit} after it was killed.", lastError);
    }

    private static async Task<IReadOnlyList<Signal>> StoredSignalsAsync(string redis)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis);
        var store = new RedisSignalStore(connection, new RedisKeys(RedisKeys.DefaultPrefix));
        return [.. (await store.QueryAsync(new SignalQuery(Series.Instrument, Series.Timeframe, Limit: int.MaxValue))).Reverse()];
    }

    private static async Task<long> IndexedSignalCountAsync(string redis)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis);
        return await connection.GetDatabase().SortedSetLengthAsync(new RedisKeys(RedisKeys.DefaultPrefix).SignalsOf(Series));
    }

    /// <summary>Everything that identifies and prices a signal; the creation time differs between runs by design.</summary>
    private static List<string> Describe(IEnumerable<Signal> signals) => signals
        .Select(s => $"{s.Id} {s.Direction} close={s.Close:R} sl={s.StopLoss:R} tp={s.TakeProfit:R} atr={s.Atr:R} fast={s.FastMa:R} slow={s.SlowMa:R}")
        .ToList();
}
