using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SignalFlow.Silo.Health;
using SignalFlow.Silo.Hosting;
using SignalFlow.Strategies;
using SignalFlow.Tests.Oanda;
using SignalFlow.Tests.Support;
using SignalFlow.Validation;

namespace SignalFlow.Tests.Validation;

public sealed class NewsCalendarReloadTests : IDisposable
{
    private const string Header = "time,currency,impact,title\n";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly string _directory = Directory.CreateTempSubdirectory("signalflow-news-").FullName;
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MetricRecorder _metrics;
    private readonly NewsCalendarSource _source;

    public NewsCalendarReloadTests()
    {
        var meters = _services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        _metrics = new MetricRecorder(meters);
        _source = new NewsCalendarSource(new ValidationMetrics(meters), new FakeTimeProvider(new DateTimeOffset(2024, 3, 8, 12, 0, 0, TimeSpan.Zero)),
            NullLogger<NewsCalendarSource>.Instance);
    }

    private string CalendarPath => Path.Combine(_directory, "news.csv");

    private static string Events(int count) =>
        Header + string.Concat(Enumerable.Range(0, count).Select(i => $"2024-03-{8 + i:00}T13:30:00Z,USD,high,Event {i}\n"));

    [Fact]
    public void A_malformed_calendar_is_refused_with_its_line_and_the_previous_stays_in_force_visibly_until_a_good_one_loads()
    {
        File.WriteAllText(CalendarPath, Events(2));
        Assert.True(_source.Load(CalendarPath));
        var previous = _source.Current;

        File.WriteAllText(CalendarPath, Events(1) + "2024-03-09T13:30:00Z,USD,severe,Bad\n");
        Assert.False(_source.Load(CalendarPath));

        Assert.Same(previous, _source.Current);
        Assert.Equal(2, _source.Status.Events);
        Assert.Equal("line 3: impact 'severe' is not low, medium or high.", _source.Status.LastError);
        Assert.Equal(1, _metrics.Sum("signalflow.news_calendar.refused"));
        var health = NewsCalendarHealthCheck.Evaluate(_source.Status);
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Contains("line 3", health.Description, StringComparison.Ordinal);

        File.WriteAllText(CalendarPath, Events(3));
        Assert.True(_source.Load(CalendarPath));
        Assert.Equal(3, _source.Current.Events.Count);
        Assert.Null(_source.Status.LastError);
        Assert.Equal(HealthStatus.Healthy, NewsCalendarHealthCheck.Evaluate(_source.Status).Status);
        Assert.Equal(2, _metrics.Sum("signalflow.news_calendar.loaded"));
    }

    [Fact]
    public void A_missing_file_is_refused_the_same_way()
    {
        Assert.False(_source.Load(Path.Combine(_directory, "absent.csv")));

        Assert.Empty(_source.Current.Events);
        Assert.NotNull(_source.Status.LastError);
        Assert.Equal(HealthStatus.Degraded, NewsCalendarHealthCheck.Evaluate(_source.Status).Status);
    }

    [Fact]
    public async Task The_watcher_reloads_the_calendar_when_its_file_changes_and_keeps_it_when_a_change_is_malformed()
    {
        File.WriteAllText(CalendarPath, Events(1));
        using var watcher = new NewsCalendarWatcher(Options.Create(new ValidationOptions { NewsCalendarPath = CalendarPath }), _source, TimeProvider.System);
        await watcher.StartAsync(CancellationToken.None);
        Assert.Single(_source.Current.Events);

        await ChangeAndWaitAsync(() => File.WriteAllText(CalendarPath, Events(4)), s => s.Events == 4 && s.LastError is null);
        Assert.Equal(4, _source.Current.Events.Count);

        await ChangeAndWaitAsync(() => File.WriteAllText(CalendarPath, Header + "tomorrow,USD,high\n"), s => s.LastError is not null);
        Assert.StartsWith("line 2: time 'tomorrow'", _source.Status.LastError, StringComparison.Ordinal);
        Assert.Equal(4, _source.Current.Events.Count);

        // Written beside it and renamed into place, as deployment tools do.
        var staged = Path.Combine(_directory, "news.csv.tmp");
        File.WriteAllText(staged, Events(2));
        await ChangeAndWaitAsync(() => File.Move(staged, CalendarPath, overwrite: true), s => s.Events == 2 && s.LastError is null);

        await watcher.StopAsync(CancellationToken.None);
    }

    [Fact]
    public void A_burst_of_file_events_reloads_once_after_the_file_has_been_quiet_for_the_settle_time()
    {
        // Writing a file raises events while it is still empty or half written: loading on the first would refuse it.
        var time = new FakeTimeProvider();
        var loads = 0;
        using var reload = new SettlingTrigger(time, NewsCalendarWatcher.SettleTime, () => loads++);
        reload.Poke();
        time.Advance(NewsCalendarWatcher.SettleTime / 2);
        reload.Poke();
        time.Advance(NewsCalendarWatcher.SettleTime - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, loads);

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, loads);
        time.Advance(NewsCalendarWatcher.SettleTime * 4);
        Assert.Equal(1, loads);
    }

    [Fact]
    public void Start_refuses_a_malformed_calendar_with_its_line()
    {
        File.WriteAllText(CalendarPath, Events(2) + "2024-03-10T13:30:00Z,US,high\n");
        var validator = new ValidationOptionsValidator(new StrategyCatalog(SampleData.LegacyStrategies));

        var result = validator.Validate(null, new ValidationOptions { NewsCalendarPath = CalendarPath, NewsBlackout = true });

        Assert.True(result.Failed);
        Assert.Equal($"SignalFlow:Validation:NewsCalendarPath {CalendarPath}: line 4: currency 'US' is not a three-letter code such as USD.", Assert.Single(result.Failures!));
        Assert.True(validator.Validate(null, new ValidationOptions { NewsCalendarPath = null }).Succeeded);
    }

    private async Task ChangeAndWaitAsync(Action change, Func<NewsCalendarStatus, bool> done)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLoaded(NewsCalendarStatus status)
        {
            if (done(status))
            {
                reached.TrySetResult();
            }
        }

        _source.Loaded += OnLoaded;
        try
        {
            change();
            await reached.Task.WaitAsync(Patience);
        }
        finally
        {
            _source.Loaded -= OnLoaded;
        }
    }

    public void Dispose()
    {
        _metrics.Dispose();
        _services.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
