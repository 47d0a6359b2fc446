using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using SignalFlow.Domain;
using SignalFlow.Silo.Hosting;
using SignalFlow.Strategies;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Silo;

/// <summary>The silo as `dotnet run --project silo` starts it: demo feed, API, health, metrics, dashboard.</summary>
public sealed class EmbeddedDefaultTests : IAsyncLifetime
{
    private readonly int _siloPort = LoopbackPort.Free();
    private WebApplicationFactory<SignalFlow.Silo.Hosting.StorageOptions> _factory = null!;

    public Task InitializeAsync()
    {
        _factory = new WebApplicationFactory<SignalFlow.Silo.Hosting.StorageOptions>().WithWebHostBuilder(web => web
            .UseSetting("SignalFlow:Cluster:SiloPort", _siloPort.ToString(CultureInfo.InvariantCulture))
            .UseSetting("SignalFlow:Cluster:GatewayPort", LoopbackPort.Free().ToString(CultureInfo.InvariantCulture))
            .UseSetting("SignalFlow:Cluster:ClusterId", $"embedded-{Guid.NewGuid():N}")
            .UseSetting("SignalFlow:Feeds:Demo:CandlesPerSecond", "2000")
            .UseSetting("SignalFlow:Api:Keys:ops:Role", "operator")
            .UseSetting("SignalFlow:Api:Keys:ops:Sha256", Api.ApiHost.Sha256(Api.ApiHost.OperatorKey)));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task The_demo_feed_produces_signals_visible_through_the_api_with_health_metrics_and_dashboard()
    {
        var http = _factory.CreateClient();
        Assert.Equal(_siloPort, _factory.Services.GetRequiredService<IOptions<EndpointOptions>>().Value.SiloPort);
        var tracker = _factory.Services.GetRequiredService<CandleProcessingTracker>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));

        // GBP_JPY H4 (fast 10 / slow 70) crosses several times in the first quarter of 2023.
        await tracker.WaitForAsync(SeriesKey.Parse("GBP_JPY_H4"), new DateTime(2023, 4, 1, 0, 0, 0, DateTimeKind.Utc), timeout.Token);

        using var signals = JsonDocument.Parse(await http.GetStringAsync("/api/signals?instrument=GBP_JPY&timeframe=H4&limit=5"));
        var newest = signals.RootElement.EnumerateArray().ToList();
        Assert.NotEmpty(newest);
        Assert.All(newest, s => Assert.Equal("GBP_JPY_H4", s.GetProperty("strategy").GetString()));
        Assert.Equal(newest.Select(s => s.GetProperty("time").GetDateTime()).OrderDescending(), newest.Select(s => s.GetProperty("time").GetDateTime()));

        Assert.Equal("Healthy", await http.GetStringAsync("/health"));
        using (var ready = JsonDocument.Parse(await http.GetStringAsync("/health/ready")))
        {
            var checks = ready.RootElement.GetProperty("checks");
            foreach (var name in new[] { "grain-storage", "membership-table", "orleans-membership", "notification-channels", "demo-feed" })
            {
                var check = checks.GetProperty(name);
                Assert.Equal("Healthy", check.GetProperty("status").GetString());
                Assert.True(check.GetProperty("durationMs").GetDouble() >= 0);
                Assert.False(string.IsNullOrEmpty(check.GetProperty("detail").GetString()));
            }
        }

        using (var live = JsonDocument.Parse(await http.GetStringAsync("/health/live")))
        {
            Assert.Equal(["membership-table", "orleans-membership"], live.RootElement.GetProperty("checks").EnumerateObject().Select(c => c.Name));
        }


        // Reads are open in the embedded default; the dashboard and metrics need an operator key.
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/dashboard/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/signals?instrument=GBP_JPY&limit=2")).StatusCode);
        var operatorClient = _factory.CreateClient();
        operatorClient.DefaultRequestHeaders.Add("X-Api-Key", Api.ApiHost.OperatorKey);
        Assert.Contains("signalflow_candles_published", await operatorClient.GetStringAsync("/metrics"));
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.GetAsync("/dashboard/")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/signals?instrument=EUR/USD")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/signals?limit=0")).StatusCode);

        using var series = JsonDocument.Parse(await http.GetStringAsync("/api/series"));
        Assert.Contains(series.RootElement.EnumerateArray(), s => s.GetProperty("series").GetString() == "GBP_JPY_H4" && s.GetProperty("candlesProcessed").GetInt64() > 0);
    }
}
