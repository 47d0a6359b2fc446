using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Portfolio;
using SignalFlow.Tests.Notifications;
using SignalFlow.Validation;

namespace SignalFlow.Tests.Api;

/// <summary>Suppressions, the portfolio and the news calendar through the HTTP API of a whole silo.</summary>
public sealed class ValidationApiTests : IAsyncLifetime
{
    private readonly string _calendar = Path.Combine(Directory.CreateTempSubdirectory("signalflow-api-news-").FullName, "news.csv");
    private ApiHost _host = null!;

    public Task InitializeAsync()
    {
        File.WriteAllText(_calendar, "time,currency,impact,title\n2024-03-08T13:30:00Z,USD,high,Payrolls\n");
        _host = new ApiHost(new Dictionary<string, string?>
        {
            ["SignalFlow:Validation:NewsBlackout"] = "true",
            ["SignalFlow:Validation:NewsCalendarPath"] = _calendar,
            ["SignalFlow:Validation:MaxOpenPerCurrencySide"] = "2",
        });
        _ = _host.Client();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(_calendar)!, recursive: true);
    }

    [Fact]
    public async Task Suppressions_are_listed_newest_first_with_rule_reason_and_signal_and_filtered()
    {
        var log = _host.Services.GetRequiredService<IGrainFactory>().GetGrain<ISuppressionLogGrain>(ISuppressionLogGrain.SingletonKey);
        var session = TestSignals.Create(1, "EUR_USD", strategy: "api_rules");
        var news = TestSignals.Create(2, "USD_JPY", strategy: "api_rules");
        await log.RecordAsync(new SuppressedSignal(session, SuppressionRules.Session, "outside London", TestSignals.Start));
        await log.RecordAsync(new SuppressedSignal(news, SuppressionRules.NewsBlackout, "payrolls", TestSignals.Start.AddHours(1)));

        var all = await ApiHost.JsonAsync(await _host.Reader().GetAsync(new Uri("/api/v1/suppressions?strategy=api_rules", UriKind.Relative)));
        var items = all.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([news.Id, session.Id], items.Select(i => i.GetProperty("signal_id").GetString()));
        Assert.Equal(["news_blackout", "session"], items.Select(i => i.GetProperty("rule").GetString()));
        Assert.Equal("payrolls", items[0].GetProperty("reason").GetString());
        Assert.Equal("USD_JPY", items[0].GetProperty("signal").GetProperty("instrument").GetString());
        Assert.Equal(1, all.GetProperty("totals").GetProperty("session").GetInt64());

        var filtered = await ApiHost.JsonAsync(await _host.Reader().GetAsync(new Uri("/api/v1/suppressions?rule=session&instrument=EUR_USD", UriKind.Relative)));
        Assert.Equal([session.Id], filtered.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("signal_id").GetString()));

        var bad = await _host.Reader().GetAsync(new Uri("/api/v1/suppressions?rule=mood&limit=0", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadAsStringAsync();
        Assert.Contains("rule must be one of", problem, StringComparison.Ordinal);
        Assert.Contains("limit must be between 1 and 1000", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_portfolio_shows_the_signals_open_at_a_time_and_the_exposure_per_currency()
    {
        var portfolio = _host.Services.GetRequiredService<IGrainFactory>().GetGrain<IPortfolioGrain>(IPortfolioGrain.SingletonKey);
        var eurUsd = OpenSignal.Of(TestSignals.Create(0, "EUR_USD", "H1", strategy: "api_portfolio"), 10);
        var usdJpy = OpenSignal.Of(TestSignals.Create(0, "USD_JPY", "H1", strategy: "api_portfolio", direction: SignalDirection.Sell), 10);
        await portfolio.OpenAsync(eurUsd);
        await portfolio.OpenAsync(usdJpy);

        var view = await ApiHost.JsonAsync(await _host.Reader().GetAsync(new Uri($"/api/v1/portfolio?at={eurUsd.OpenedAt:yyyy-MM-ddTHH:mm:ssZ}", UriKind.Relative)));

        Assert.Equal([eurUsd.SignalId, usdJpy.SignalId], view.GetProperty("open").EnumerateArray().Select(s => s.GetProperty("signal_id").GetString()).Order(StringComparer.Ordinal));
        var usd = view.GetProperty("exposure").EnumerateArray().Single(e => e.GetProperty("currency").GetString() == "USD");
        Assert.Equal((0, 2, -2), (usd.GetProperty("long").GetInt32(), usd.GetProperty("short").GetInt32(), usd.GetProperty("net").GetInt32()));
    }

    [Fact]
    public async Task The_news_calendar_in_force_is_shown_with_the_last_refused_change()
    {
        var source = _host.Services.GetRequiredService<NewsCalendarSource>();
        File.WriteAllText(_calendar, "time,currency,impact\n2024-03-08T13:30:00Z,USD,big\n");
        source.Load(_calendar);

        var status = await ApiHost.JsonAsync(await _host.Reader().GetAsync(new Uri("/api/v1/news-calendar", UriKind.Relative)));

        Assert.Equal(1, status.GetProperty("events").GetInt32());
        Assert.Equal("line 2: impact 'big' is not low, medium or high.", status.GetProperty("last_error").GetString());
        var health = await _host.Client().GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.Contains("line 2", await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
