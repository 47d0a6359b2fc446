using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using SignalFlow.Candles;
using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Outcomes;
using SignalFlow.Signals;
using SignalFlow.Silo.Hosting;

namespace SignalFlow.Tests.Api;

/// <summary>
/// A whole silo (as Program.cs composes it) behind the test server, without the demo feed, with a reader key, an
/// operator key and stores that a test can take down.
/// </summary>
public sealed class ApiHost : IAsyncDisposable
{
    public const string ReaderKey = "reader-secret-key";
    public const string OperatorKey = "operator-secret-key";

    private readonly WebApplicationFactory<StorageOptions> _factory;

    /// <param name="overKestrel">Serve on a loopback port (<see cref="Address"/>) for clients outside the test server, such as the CLI.</param>
    public ApiHost(IReadOnlyDictionary<string, string?> settings, bool overKestrel = false)
    {
        var all = new Dictionary<string, string?>
        {
            ["SignalFlow:Cluster:SiloPort"] = LoopbackPort.Free().ToString(CultureInfo.InvariantCulture),
            ["SignalFlow:Cluster:GatewayPort"] = LoopbackPort.Free().ToString(CultureInfo.InvariantCulture),
            ["SignalFlow:Cluster:ClusterId"] = $"api-{Guid.NewGuid():N}",
            ["SignalFlow:Feeds:Demo:Enabled"] = "false",
            ["SignalFlow:Notifications:MaxSignalAge"] = "00:00:00",
            ["SignalFlow:Api:OpenReads"] = "false",
            ["SignalFlow:Api:LivePollInterval"] = "00:00:00.020",
            ["SignalFlow:Api:Keys:reporting:Role"] = "reader",
            ["SignalFlow:Api:Keys:reporting:Sha256"] = Sha256(ReaderKey),
            ["SignalFlow:Api:Keys:ops:Role"] = "operator",
            ["SignalFlow:Api:Keys:ops:Sha256"] = Sha256(OperatorKey),
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        if (overKestrel)
        {
            // Not the silo's own 8080 from appsettings.json: two such hosts (or a developer's silo) would collide there.
            all["Urls"] = "http://127.0.0.1:0";
        }

        _factory = new WebApplicationFactory<StorageOptions>().WithWebHostBuilder(web =>
        {
            foreach (var (key, value) in all)
            {
                web.UseSetting(key, value);
            }

            web.ConfigureTestServices(services =>
            {
                services.AddSingleton(Signals);
                services.AddSingleton<ISignalStore>(Signals);
                services.AddSingleton(Candles);
                services.AddSingleton<ICandleStore>(Candles);
            });
        });
        if (overKestrel)
        {
            _factory.UseKestrel(0);
        }
    }

    /// <summary>Where a host built <c>overKestrel</c> listens (starting it if need be).</summary>
    public Uri Address => _factory.CreateClient().BaseAddress!;

    public SwitchableStores Signals { get; } = new();

    public SwitchableStores Candles => Signals;

    public IServiceProvider Services => _factory.Services;

    public INotificationGrain Notifications => Services.GetRequiredService<IGrainFactory>().GetGrain<INotificationGrain>(INotificationGrain.SingletonKey);

    public static string Sha256(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public HttpClient Client(string? key = null)
    {
        var client = _factory.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return client;
    }

    public HttpClient Reader() => Client(ReaderKey);

    public HttpClient Operator() => Client(OperatorKey);

    public static HttpClient WithBasic(HttpClient client, string password)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"browser:{password}")));
        return client;
    }

    public async Task StoreAsync(params Signal[] signals)
    {
        foreach (var signal in signals)
        {
            await Signals.StoreAsync(signal);
        }
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }
}

/// <summary>The in-memory signal and candle stores, with an outage switch: while <see cref="Down"/> every call fails as a lost connection would.</summary>
public sealed class SwitchableStores : ISignalStore, ICandleStore
{
    private readonly InMemorySignalStore _signals = new();
    private readonly InMemoryCandleStore _candles = new();

    public bool Down { get; set; }

    public Task<SignalStoreResult> StoreAsync(Signal signal, CancellationToken cancellationToken = default) => Up(() => _signals.StoreAsync(signal, cancellationToken));

    public Task<IReadOnlyList<Signal>> QueryAsync(SignalQuery query, CancellationToken cancellationToken = default) => Up(() => _signals.QueryAsync(query, cancellationToken));

    public Task<NotificationRecordResult> RecordNotificationAsync(SignalNotificationUpdate update, CancellationToken cancellationToken = default) =>
        Up(() => _signals.RecordNotificationAsync(update, cancellationToken));

    public Task<SignalNotifications?> GetNotificationsAsync(string signalId, CancellationToken cancellationToken = default) =>
        Up(() => _signals.GetNotificationsAsync(signalId, cancellationToken));

    public Task<OutcomeRecordResult> RecordOutcomeAsync(SignalOutcome outcome, CancellationToken cancellationToken = default) =>
        Up(() => _signals.RecordOutcomeAsync(outcome, cancellationToken));

    public Task<IReadOnlyDictionary<string, SignalOutcome>> GetOutcomesAsync(IReadOnlyCollection<string> signalIds, CancellationToken cancellationToken = default) =>
        Up(() => _signals.GetOutcomesAsync(signalIds, cancellationToken));

    public Task StoreAsync(IReadOnlyList<Candle> candles, CancellationToken cancellationToken = default) => Up(async () =>
    {
        await _candles.StoreAsync(candles, cancellationToken);
        return true;
    });

    public Task<IReadOnlyList<Candle>> ReadRangeAsync(SeriesKey series, DateTime fromExclusive, DateTime toExclusive, int limit, CancellationToken cancellationToken = default) =>
        Up(() => _candles.ReadRangeAsync(series, fromExclusive, toExclusive, limit, cancellationToken));

    public Task<IReadOnlyList<Candle>> ReadLatestAsync(SeriesKey series, DateTime beforeExclusive, int count, CancellationToken cancellationToken = default) =>
        Up(() => _candles.ReadLatestAsync(series, beforeExclusive, count, cancellationToken));

    private Task<T> Up<T>(Func<Task<T>> call) =>
        Down ? Task.FromException<T>(new TimeoutException("A timeout occurred after 5000ms selecting a server (test outage).")) : call();
}
