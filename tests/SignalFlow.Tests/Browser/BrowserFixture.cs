using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using SignalFlow.Backtesting;
using SignalFlow.Domain;
using SignalFlow.Outcomes;
using SignalFlow.Tests.Api;
using SignalFlow.Tests.Notifications;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Browser;

/// <summary>
/// One silo serving the web app on a loopback port (reads open, as on the embedded default) and one headless Debian
/// chromium, shared by every browser test. The silo holds the two bundled years of EUR_USD H4 candles and the signals
/// the bundled strategy makes on them, and has a Discord channel on a loopback fake.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string Channel = "alerts";
    public const string Webhook = "browser-tests";

    /// <summary>The system chromium (Playwright's own browser download cannot work here); SIGNALFLOW_CHROMIUM overrides it.</summary>
    public static string ChromiumPath => Environment.GetEnvironmentVariable("SIGNALFLOW_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static readonly SeriesKey ChartSeries = new(Instrument.Parse("EUR_USD"), Timeframe.Parse("H4"));

    private IPlaywright _playwright = null!;

    public FakeDiscordServer Discord { get; private set; } = null!;

    public ApiHost Host { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public IReadOnlyList<Candle> Candles { get; private set; } = [];

    /// <summary>The outcomes of <see cref="Signals"/> that resolved within the candles, recorded with them.</summary>
    public IReadOnlyList<SignalOutcome> Outcomes { get; private set; } = [];

    /// <summary>The signals stored before the tests, oldest first.</summary>
    public IReadOnlyList<Signal> Signals { get; private set; } = [];

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"The browser tests need chromium at {ChromiumPath} (apt-get install chromium; .ci/run installs it), or SIGNALFLOW_CHROMIUM naming one.");
        }

        Discord = await FakeDiscordServer.StartAsync(TimeProvider.System, bucketSize: 1000);
        Host = new ApiHost(new Dictionary<string, string?>
        {
            ["SignalFlow:Api:OpenReads"] = "true",
            ["SignalFlow:Api:RateLimit:PermitsPerAnonymousClient"] = "100000",
            ["SignalFlow:Api:RateLimit:PermitsPerKey"] = "100000",
            [$"SignalFlow:Notifications:Channels:{Channel}:Type"] = "Discord",
            [$"SignalFlow:Notifications:Channels:{Channel}:Url"] = Discord.WebhookUrl(Webhook),
            [$"SignalFlow:Notifications:Channels:{Channel}:Limits:SignalsPerMinute"] = "0",
            [$"SignalFlow:Notifications:Channels:{Channel}:Limits:SignalsPerHour"] = "0",
            [$"SignalFlow:Notifications:Channels:{Channel}:Limits:PairCooldown"] = "00:00:00",
        }, overKestrel: true);

        Candles = SampleData.Candles(ChartSeries);
        await Host.Candles.StoreAsync(Candles);
        var strategies = SampleData.LegacyStrategies.Where(s => s.Series == ChartSeries).ToList();
        var runs = FastBacktest.Run(ChartSeries, Candles, strategies, TimeProvider.System).Runs;
        Signals = runs.SelectMany(r => r.Signals).OrderBy(s => s.Time).ToList();
        Outcomes = runs.SelectMany(r => r.Outcomes).Where(o => o.IsClosed).ToList();
        await Host.StoreAsync([.. Signals]);
        foreach (var outcome in Outcomes)
        {
            await Host.Signals.RecordOutcomeAsync(outcome);
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        await Host.DisposeAsync();
        await Discord.DisposeAsync();
    }

    public string Url(string hash) => new Uri(Host.Address, "/" + hash).ToString();

    /// <summary>
    /// Runs <paramref name="test"/> on a fresh page (its own session storage, so no key) and fails it on any console
    /// error or uncaught exception in the page, even when the test's own assertions passed.
    /// </summary>
    public async Task OnPageAsync(Func<IPage, Task> test, ViewportSize? viewport = null)
    {
        await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (errors)
                {
                    errors.Add($"console: {message.Text} ({message.Location})");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (errors)
            {
                errors.Add($"uncaught: {error}");
            }
        };

        await test(page);

        lock (errors)
        {
            Assert.True(errors.Count == 0, "The browser reported errors:\n" + string.Join("\n", errors));
        }
    }

    /// <summary>Axe's WCAG 2.1 A and AA rules (labels, names, contrast, structure) on the page as it is now.</summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        Assert.True(result.Violations.Length == 0, $"Accessibility violations on {page.Url}:\n" + string.Join("\n",
            result.Violations.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target.ToString()))}")));
    }

    /// <summary>
    /// Saves a screenshot of the page as NAME.png in SIGNALFLOW_SCREENSHOTS (docs/screenshots when refreshing the
    /// README's pictures), or beside the test assembly.
    /// </summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var directory = Environment.GetEnvironmentVariable("SIGNALFLOW_SCREENSHOTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(directory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, $"{name}.png"), FullPage = false });
    }

    /// <summary>Types the key into the app's key dialog, as a user does once per tab.</summary>
    public static async Task EnterKeyAsync(IPage page, string key)
    {
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "API key" }).ClickAsync();
        await page.GetByLabel("Key", new PageGetByLabelOptions { Exact = true }).FillAsync(key);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Use key" }).ClickAsync();
        await Assertions.Expect(page.Locator("#key-button")).ToContainTextAsync("Key: ");
    }

    /// <summary>A dead letter of <paramref name="signal"/> on the channel: the fake webhook answers as a deleted one.</summary>
    public async Task DeadLetterAsync(Signal signal)
    {
        await Host.StoreAsync(signal);
        Discord.SetMode(Webhook, FakeWebhookMode.Deleted);
        try
        {
            await Host.Notifications.EnqueueAsync(signal);
            await Host.Notifications.DeliverDueAsync();
        }
        finally
        {
            Discord.SetMode(Webhook, FakeWebhookMode.Normal);
        }
    }
}
