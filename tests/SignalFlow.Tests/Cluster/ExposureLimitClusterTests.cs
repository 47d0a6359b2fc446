using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Portfolio;
using SignalFlow.Signals;
using SignalFlow.Silo.Hosting;
using SignalFlow.Strategies;
using SignalFlow.Tests.Portfolio;
using SignalFlow.Tests.Support;
using SignalFlow.Validation;

namespace SignalFlow.Tests.Cluster;

/// <summary>
/// Strategy grains of several series, spread over two silos, share one exposure limit: the portfolio grain checks and
/// opens each signal in one call, whichever silo the signal comes from.
/// </summary>
public sealed class ExposureLimitClusterTests : IAsyncLifetime
{
    private const int Limit = 1;
    private const int BarsHeld = 6;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    /// <summary>Three pairs, two of them quoted in USD: simultaneous BUYs on them are a double bet against the dollar.</summary>
    private static readonly SeriesKey[] Series = new[] { "AUD_USD_H4", "EUR_USD_H4", "GBP_JPY_H4" }.Select(SeriesKey.Parse).ToArray();

    private static readonly List<StrategySettings> Strategies = Series.Select(s => PipelineCluster.Permissive(s) with { MaxBarsHeld = BarsHeld }).ToList();

    private readonly RecordingSignalStore _store = new();
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<ISignalStore>(_store);
            silo.Services.AddSingleton(new StrategyCatalog(Strategies));
            silo.Services.Configure<ValidationOptions>(o => o.MaxOpenPerCurrencySide = Limit);
            silo.Services.AddSignalFlowPipeline();
            silo.AddSignalFlowGrains();
            silo.AddSignalFlowStorage(new ConfigurationBuilder().Build());
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task Exposure_limits_hold_across_series_hosted_on_different_silos_and_each_refusal_is_recorded_with_its_reason()
    {
        var candles = Series.ToDictionary(s => s, s => SampleData.Candles(s).Take(700).ToList());
        await FeedInTimeOrderAsync(candles);

        var client = _cluster.Client;
        var hosts = await Task.WhenAll(Series.Select(s => client.GetGrain<IStrategyGrain>(s.ToString()).GetStatusAsync()));
        Assert.True(hosts.Select(h => h.Silo).Distinct().Count() >= 2, $"series hosted on {string.Join(", ", hosts.Select(h => h.Silo))}");

        // Every signal the strategies produce is either stored or recorded as suppressed, never both, never neither.
        var produced = Strategies.SelectMany(s =>
        {
            var strategy = StrategyKinds.Default.Create(s, TimeProvider.System);
            return candles[s.Series].Select(strategy.Update).OfType<Signal>();
        }).ToDictionary(s => s.Id);
        var stored = (await Task.WhenAll(Strategies.Select(s => _store.SignalsOfAsync(s.Id)))).SelectMany(s => s).ToList();
        var suppressed = await client.GetGrain<ISuppressionLogGrain>(ISuppressionLogGrain.SingletonKey).SearchAsync(new SuppressionSearch(Limit: 1000));
        Assert.NotEmpty(suppressed);
        Assert.NotEmpty(stored);
        Assert.Equal(produced.Keys.Order(), stored.Select(s => s.Id).Concat(suppressed.Select(s => s.Signal.Id)).Order());
        Assert.All(suppressed, s => Assert.Equal(SuppressionRules.Exposure, s.Rule));
        Assert.Equal(suppressed.Count, (await client.GetGrain<ISuppressionLogGrain>(ISuppressionLogGrain.SingletonKey).GetTotalsAsync())[SuppressionRules.Exposure]);

        // The limit holds at every instant among the signals that went out, each open until its outcome resolves.
        var open = stored.Select(s => HeldSignals.Of(s, BarsHeld, candles[s.Series])).ToList();
        foreach (var instant in open.Select(s => s.OpenedAt))
        {
            var now = open.Where(s => s.IsOpenAt(instant)).ToList();
            Assert.All(now.GroupBy(s => s.LongCurrency), g => Assert.True(g.Count() <= Limit, $"{g.Count()} long {g.Key} at {instant:O}"));
            Assert.All(now.GroupBy(s => s.ShortCurrency), g => Assert.True(g.Count() <= Limit, $"{g.Count()} short {g.Key} at {instant:O}"));
        }

        // Each refusal names a signal that went out, on the same side of the currency, open when it came: or resolving on
        // that very candle of another series, whose outcome may reach the portfolio a moment after the new signal.
        foreach (var refusal in suppressed)
        {
            var candidate = OpenSignal.Of(refusal.Signal, BarsHeld);
            var blocker = Assert.Single(open, s => refusal.Reason.EndsWith(s.SignalId, StringComparison.Ordinal));
            Assert.True(blocker.IsOpenAt(candidate.OpenedAt) || blocker.ClosesAt == candidate.OpenedAt, $"{refusal.Reason} at {candidate.OpenedAt:O}");
            Assert.True(blocker.LongCurrency == candidate.LongCurrency || blocker.ShortCurrency == candidate.ShortCurrency, refusal.Reason);
        }

        // Suppressed signals were not handed to the notifier.
        var notified = await client.GetGrain<INotificationGrain>(INotificationGrain.SingletonKey).GetLiveSignalsAsync(null);
        Assert.NotEmpty(notified.Signals);
        Assert.Empty(notified.Signals.Select(s => s.Id).Intersect(suppressed.Select(s => s.Signal.Id)));
    }

    /// <summary>The candles of one time on every series, then the next time once all are processed: as a live feed delivers them.</summary>
    private async Task FeedInTimeOrderAsync(Dictionary<SeriesKey, List<Candle>> candles)
    {
        var trackers = _cluster.Silos.Select(s => s.ServiceProvider.GetRequiredService<CandleProcessingTracker>()).ToList();
        using var timeout = new CancellationTokenSource(Patience);
        foreach (var moment in candles.Values.SelectMany(c => c).GroupBy(c => c.Time).OrderBy(g => g.Key))
        {
            await Task.WhenAll(moment.Select(c => _cluster.Client.GetGrain<ICandleIngestionGrain>(c.Instrument.Name).PublishClosedCandlesAsync([c])));
            await Task.WhenAll(moment.Select(c => Task.WhenAny(trackers.Select(t => t.WaitForAsync(c.Series, c.Time, timeout.Token))).Unwrap()));
        }
    }
}
