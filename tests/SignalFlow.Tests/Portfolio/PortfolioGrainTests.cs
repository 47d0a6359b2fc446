using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Portfolio;
using SignalFlow.Tests.Notifications;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Portfolio;

public class PortfolioGrainTests(PipelineCluster pipeline) : IClassFixture<PipelineCluster>
{
    [Fact]
    public async Task Every_signal_a_strategy_grain_emits_is_in_the_portfolio_while_open()
    {
        var series = SeriesKey.Parse("EUR_USD_H4");
        var candles = SampleData.Candles(series).Take(400).ToList();
        await pipeline.ReplayAsync(series, candles);

        var portfolio = pipeline.Cluster.Client.GetGrain<IPortfolioGrain>(IPortfolioGrain.SingletonKey);
        var last = candles[^1].EndTime;
        var stored = pipeline.Store.StoreCalls.Distinct().ToList();
        Assert.NotEmpty(stored);

        // The newest signals are still within their age limit at the last candle's close; each is in the view.
        var view = await portfolio.GetAsync(last);
        var open = view.Open.Select(s => s.SignalId).ToHashSet();
        var expectedOpen = (await Task.WhenAll(PipelineCluster.Strategies.Where(s => s.Series == series).Select(s => pipeline.Store.SignalsOfAsync(s.Id))))
            .SelectMany(s => s)
            .Where(s => OpenSignal.Of(s, 50).IsOpenAt(last))
            .Select(s => s.Id)
            .ToHashSet();
        Assert.NotEmpty(expectedOpen);
        Assert.Equal(expectedOpen, open);
        Assert.Equal(view.Open.Count, view.Exposure.Sum(e => e.Long));
    }

    [Fact]
    public async Task The_portfolio_refuses_past_its_limit_is_idempotent_by_id_and_survives_deactivation()
    {
        // A key of its own: the pipeline's signals live in the singleton.
        var portfolio = pipeline.Cluster.Client.GetGrain<IPortfolioGrain>(7);
        var eurUsd = OpenSignal.Of(TestSignals.Create(0, "EUR_USD", "H1"), 10);
        var eurJpy = OpenSignal.Of(TestSignals.Create(0, "EUR_JPY", "H1"), 10);
        var eurGbp = OpenSignal.Of(TestSignals.Create(1, "EUR_GBP", "H1"), 10);

        Assert.Null(await portfolio.OpenAsync(eurUsd, 2));
        Assert.Null(await portfolio.OpenAsync(eurJpy, 2));
        Assert.Null(await portfolio.OpenAsync(eurUsd, 2));
        var breach = await portfolio.OpenAsync(eurGbp, 2);
        Assert.Equal("EUR", breach?.Currency);

        await pipeline.Cluster.DeactivateAsync(portfolio);

        var view = await portfolio.GetAsync(eurGbp.OpenedAt);
        Assert.Equal([eurJpy.SignalId, eurUsd.SignalId], view.Open.Select(s => s.SignalId));
        Assert.True(await portfolio.ResolveAsync(eurUsd.SignalId, eurGbp.OpenedAt));
        Assert.Null(await portfolio.OpenAsync(eurGbp, 2));
    }
}
