using SignalFlow.Portfolio;
using SignalFlow.Silo.Health;
using SignalFlow.Strategies;
using SignalFlow.Validation;

namespace SignalFlow.Silo.Hosting;

public static class ValidationHosting
{
    /// <summary>
    /// Validation rules (<c>SignalFlow:Validation</c>, checked at start, the news calendar included), the watch that
    /// reloads the news calendar when its file changes, its health check, and the portfolio (<c>SignalFlow:Portfolio</c>).
    /// </summary>
    public static IServiceCollection AddSignalFlowValidation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PortfolioOptions>()
            .Bind(configuration.GetSection(PortfolioOptions.Section))
            .Validate(o => o.MaxBarsOpen >= 1, $"{PortfolioOptions.Section}:MaxBarsOpen must be at least 1.")
            .ValidateOnStart();
        services.AddOptions<ValidationOptions>()
            .Bind(configuration.GetSection(ValidationOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ValidationOptions>, ValidationOptionsValidator>();
        services.AddHostedService<NewsCalendarWatcher>();
        services.AddHealthChecks().AddCheck<NewsCalendarHealthCheck>("news-calendar");
        return services.AddValidationServices();
    }

    /// <summary>What strategy grains need to judge signals; with no <c>SignalFlow:Validation</c> bound, no rule applies.</summary>
    public static IServiceCollection AddValidationServices(this IServiceCollection services)
    {
        services.TryAddSingleton<ValidationMetrics>();
        services.TryAddSingleton<NewsCalendarSource>();
        services.TryAddSingleton<SignalAdmission>();
        return services;
    }

    /// <summary>The configured calendar path as the silo reads it (relative to the working, then the app directory).</summary>
    public static string? CalendarPath(ValidationOptions options) =>
        string.IsNullOrWhiteSpace(options.NewsCalendarPath) ? null : PathResolver.Resolve(options.NewsCalendarPath);
}

/// <summary>The rules' values, strategy ids that exist, and a news calendar that reads (refused with its line otherwise).</summary>
internal sealed class ValidationOptionsValidator(StrategyCatalog catalog) : IValidateOptions<ValidationOptions>
{
    public ValidateOptionsResult Validate(string? name, ValidationOptions options)
    {
        var problems = options.Problems(catalog.All.Select(s => s.Id).ToHashSet(StringComparer.Ordinal)).ToList();
        if (ValidationHosting.CalendarPath(options) is { } path)
        {
            try
            {
                using var reader = new StreamReader(path);
                NewsCalendar.Parse(reader);
            }
            catch (Exception e) when (e is NewsCalendarFormatException or IOException or UnauthorizedAccessException)
            {
                problems.Add($"{ValidationOptions.Section}:NewsCalendarPath {path}: {e.Message}");
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

/// <summary>
/// Loads the news calendar at start and again whenever its file is written, created or renamed into place, once the
/// file has been quiet for <see cref="SettleTime"/>: writing a file raises several events, the first often on an
/// empty or half-written file, which would be refused and logged as an error for nothing. A change that still does
/// not read (a malformed line) is refused and the calendar in force stays.
/// </summary>
internal sealed class NewsCalendarWatcher(IOptions<ValidationOptions> options, NewsCalendarSource source, TimeProvider time) : IHostedService, IDisposable
{
    public static readonly TimeSpan SettleTime = TimeSpan.FromMilliseconds(250);

    private FileSystemWatcher? _watcher;
    private SettlingTrigger? _reload;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (ValidationHosting.CalendarPath(options.Value) is not { } path)
        {
            return Task.CompletedTask;
        }

        _reload = new SettlingTrigger(time, SettleTime, () => source.Load(path));
        _watcher = new FileSystemWatcher(Path.GetDirectoryName(path)!, Path.GetFileName(path))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        _watcher.Changed += (_, _) => _reload.Poke();
        _watcher.Created += (_, _) => _reload.Poke();
        _watcher.Renamed += (_, e) =>
        {
            if (string.Equals(e.FullPath, path, StringComparison.Ordinal))
            {
                _reload.Poke();
            }
        };
        _watcher.EnableRaisingEvents = true;
        source.Load(path);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _watcher?.EnableRaisingEvents = false;
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _reload?.Dispose();
    }
}

/// <summary>Runs an action once things have been quiet for a while after the last <see cref="Poke"/> (a debounce).</summary>
internal sealed class SettlingTrigger : IDisposable
{
    private readonly TimeSpan _quiet;
    private readonly ITimer _timer;

    public SettlingTrigger(TimeProvider time, TimeSpan quiet, Action action)
    {
        _quiet = quiet;
        _timer = time.CreateTimer(_ => action(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>(Re)starts the quiet period; the action runs when it ends without another poke.</summary>
    public void Poke() => _timer.Change(_quiet, Timeout.InfiniteTimeSpan);

    public void Dispose() => _timer.Dispose();
}
