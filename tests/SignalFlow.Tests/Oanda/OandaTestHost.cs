using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using SignalFlow.Domain;
using SignalFlow.Oanda;

namespace SignalFlow.Tests.Oanda;

/// <summary>A test clock, a fake OANDA server and the clients pointed at it.</summary>
internal sealed class OandaTestHost : IAsyncDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };

    private OandaTestHost(TestClock clock, FakeOandaServer server)
    {
        Clock = clock;
        Server = server;
        var meters = _services.GetRequiredService<IMeterFactory>();
        Metrics = new MetricRecorder(meters);
        FeedMetrics = new OandaFeedMetrics(meters);
        Options = new OandaFeedOptions
        {
            AccountId = FakeOandaServer.AccountId,
            Token = FakeOandaServer.Token,
            RestUrl = server.BaseUri.ToString(),
            StreamUrl = server.BaseUri.ToString(),
            CandlePageSize = 5,
        };
    }

    public TestClock Clock { get; }

    public FakeOandaServer Server { get; }

    public OandaFeedOptions Options { get; }

    public OandaFeedMetrics FeedMetrics { get; }

    public MetricRecorder Metrics { get; }

    public static async Task<OandaTestHost> StartAsync(DateTime now)
    {
        var clock = new TestClock(new DateTimeOffset(now));
        return new OandaTestHost(clock, await FakeOandaServer.StartAsync(clock));
    }

    public OandaPricingStreamClient StreamClient() => new(_http, Options, Clock, FeedMetrics, NullLogger<OandaPricingStreamClient>.Instance);

    public OandaCandleClient CandleClient() => new(_http, Options, Clock, NullLogger<OandaCandleClient>.Instance);

    public async ValueTask DisposeAsync()
    {
        Metrics.Dispose();
        _http.Dispose();
        await Server.DisposeAsync();
        await _services.DisposeAsync();
    }
}

/// <summary>Records what the stream delivers; tests await its events.</summary>
internal sealed class RecordingSink : IPriceStreamSink
{
    private readonly Channel<DateTime> _connections = Channel.CreateUnbounded<DateTime>();
    private readonly Channel<PriceTick> _ticks = Channel.CreateUnbounded<PriceTick>();
    private readonly Channel<(int Ticks, DateTime StreamTime)> _streamTimes = Channel.CreateUnbounded<(int, DateTime)>();

    public Task OnConnectedAsync(DateTime connectedAt, CancellationToken cancellationToken)
    {
        _connections.Writer.TryWrite(connectedAt);
        return Task.CompletedTask;
    }

    public Task OnReceivedAsync(IReadOnlyList<PriceTick> ticks, DateTime streamTime, CancellationToken cancellationToken)
    {
        foreach (var tick in ticks)
        {
            _ticks.Writer.TryWrite(tick);
        }

        _streamTimes.Writer.TryWrite((ticks.Count, streamTime));
        return Task.CompletedTask;
    }

    /// <summary>The next delivery: how many prices it held and the stream time it carried.</summary>
    public Task<(int Ticks, DateTime StreamTime)> NextDeliveryAsync() => _streamTimes.Reader.ReadAsync().AsTask().Within();

    public Task<DateTime> NextConnectionAsync() => _connections.Reader.ReadAsync().AsTask().Within();

    public async Task<List<PriceTick>> TicksAsync(int count)
    {
        var ticks = new List<PriceTick>();
        while (ticks.Count < count)
        {
            ticks.Add(await _ticks.Reader.ReadAsync().AsTask().Within());
        }

        return ticks;
    }
}
