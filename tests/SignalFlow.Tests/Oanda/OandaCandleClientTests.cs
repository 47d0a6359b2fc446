using SignalFlow.Domain;
using SignalFlow.Oanda;

namespace SignalFlow.Tests.Oanda;

public sealed class OandaCandleClientTests : IAsyncLifetime
{
    private static readonly Instrument EurUsd = Instrument.Parse("EUR_USD");
    private static readonly SeriesKey EurUsdH4 = new(EurUsd, Timeframe.H4);
    private static readonly DateTime Now = new(2023, 3, 14, 11, 0, 0, DateTimeKind.Utc);
    private OandaTestHost _host = null!;
    private IReadOnlyList<Candle> _served = [];

    public async Task InitializeAsync()
    {
        _host = await OandaTestHost.StartAsync(Now);
        _served = SampleCandles.Between("EUR_USD", "H4", new DateTime(2023, 3, 10, 0, 0, 0, DateTimeKind.Utc), Now.AddDays(1));
        _host.Server.Candles[EurUsdH4] = _served;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Pages_forward_with_from_and_count_and_returns_complete_candles_only()
    {
        var after = new DateTime(2023, 3, 10, 2, 0, 0, DateTimeKind.Utc);

        var candles = await _host.CandleClient().GetCompleteCandlesAfterAsync(EurUsd, Timeframe.H4, after, CancellationToken.None);

        Assert.Equal(_served.Where(c => c.Time > after && c.EndTime <= Now), candles);
        Assert.True(_host.Server.CandleRequests.Count >= 3);
        Assert.All(_host.Server.CandleRequests, query =>
        {
            Assert.Contains("price=M", query);
            Assert.Contains("granularity=H4", query);
            Assert.Contains("count=5", query);
            Assert.Contains("dailyAlignment=17", query);
            Assert.Contains("alignmentTimezone=America%2FNew_York", query);
            Assert.DoesNotContain("to=", query);
        });
    }

    [Fact]
    public async Task Returns_the_latest_complete_candles_for_warm_up()
    {
        var candles = await _host.CandleClient().GetLatestCompleteCandlesAsync(EurUsd, Timeframe.H4, 4, CancellationToken.None);

        Assert.Equal(_served.Where(c => c.EndTime <= Now).TakeLast(4), candles);
        var query = Assert.Single(_host.Server.CandleRequests);
        Assert.Contains("count=5", query);
        Assert.DoesNotContain("to=", query);
        Assert.DoesNotContain("from=", query);
    }

    [Fact]
    public async Task Retries_5xx_and_429_with_backoff()
    {
        _host.Server.CandleRefusals.Enqueue(500);
        _host.Server.CandleRefusals.Enqueue(429);
        var fetch = _host.CandleClient().GetLatestCompleteCandlesAsync(EurUsd, Timeframe.H4, 2, CancellationToken.None);

        await _host.Clock.AdvancePastNextTimerAsync(_ => true);
        await _host.Clock.AdvancePastNextTimerAsync(_ => true);

        Assert.Equal(2, (await fetch.Within()).Count);
        Assert.Equal(3, _host.Server.CandleRequests.Count);
    }

    [Fact]
    public async Task Fails_at_once_on_401()
    {
        _host.Server.CandleRefusals.Enqueue(401);

        await Assert.ThrowsAsync<OandaAccessDeniedException>(() => _host.CandleClient().GetLatestCompleteCandlesAsync(EurUsd, Timeframe.H4, 2, CancellationToken.None));
        Assert.Single(_host.Server.CandleRequests);
    }
}
