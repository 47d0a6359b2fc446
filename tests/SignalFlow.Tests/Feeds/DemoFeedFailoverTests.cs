using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;
using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Signals;
using SignalFlow.Silo.Feeds;
using SignalFlow.Silo.Hosting;
using SignalFlow.Strategies;
using SignalFlow.Tests.Notifications;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Feeds;

/// <summary>The demo replay is a cluster singleton: when its silo leaves, another silo carries it to the end.</summary>
public sealed class DemoFeedFailoverTests : IAsyncLifetime
{
    private static readonly SeriesKey Series = SeriesKey.Parse("EUR_USD_H4");
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly string _candles = Directory.CreateTempSubdirectory("signalflow-demo-").FullName;
    private readonly SharedGrainStorage _storage = new();
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var source = SampleData.CandleFiles.Single(f => Path.GetFileName(f).StartsWith("EUR_USD_H4", StringComparison.Ordinal));
        await File.WriteAllLinesAsync(Path.Combine(_candles, "EUR_USD_H4.csv"), File.ReadLines(source).Take(401));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SignalFlow:Feeds:Demo:CandlesDirectory"] = _candles,
            ["SignalFlow:Feeds:Demo:CandlesPerSecond"] = "100",
        }).Build();
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<ISignalStore, InMemorySignalStore>();
            silo.Services.AddSingleton(new StrategyCatalog(SampleData.LegacyStrategies));
            silo.Services.AddSignalFlowPipeline();
            silo.AddSignalFlowGrains();
            silo.AddSignalFlowStorage(new ConfigurationBuilder().Build());
            silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.GrainState, _storage);
            silo.UseInMemoryReminderService();
            silo.Services.AddSignalFlowFeeds(configuration);
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
        Directory.Delete(_candles, recursive: true);
    }

    [Fact]
    public async Task The_replay_continues_on_another_silo_when_its_silo_stops()
    {
        var feed = _cluster.Client.GetGrain<IDemoFeedGrain>(IDemoFeedGrain.SingletonKey);
        var before = await WaitForAsync(feed, s => s is { State: DemoFeedState.Replaying, Published: > 0 });

        var host = _cluster.Silos.Single(s => s.SiloAddress.ToString() == before.Silo);
        await _cluster.StopSiloAsync(host);

        // Nobody calls the feed: the surviving silo wakes it when the membership declares the other one dead.
        var after = await WaitForAsync(feed, s => s.State == DemoFeedState.Finished);
        Assert.NotEqual(before.Silo, after.Silo);
        var last = SampleData.Candles(Series).Take(400).Last();
        var stats = await _cluster.Client.GetGrain<ICandleIngestionGrain>(Series.Instrument.Name).GetStatsAsync();
        Assert.Equal(last.Time, stats.ByTimeframe["H4"].LastPublishedCandleTime);
        Assert.Equal(400, stats.ByTimeframe["H4"].Published);
    }

    /// <summary>Polls the status (only when no call is due, the feed's own progress is watched) against a deadline.</summary>
    private static async Task<DemoFeedStatus> WaitForAsync(IDemoFeedGrain feed, Func<DemoFeedStatus, bool> done)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            var status = await feed.GetStatusAsync();
            if (done(status))
            {
                return status;
            }

            Assert.True(DateTime.UtcNow < deadline, $"not reached within {Deadline}: {status}");
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }
}
