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
/// Loads the news calendar at start and again whenever its file is written, created or renamed into place. A change
/// that does not read (a malformed line, or an editor's half-written file) is refused and the calendar in force stays.
/// </summary>
internal sealed class NewsCalendarWatcher(IOptions<ValidationOptions> options, NewsCalendarSource source) : IHostedService, IDisposable
{
    private FileSystemWatcher? _watcher;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (ValidationHosting.CalendarPath(options.Value) is not { } path)
        {
            return Task.CompletedTask;
        }

        _watcher = new FileSystemWatcher(Path.GetDirectoryName(path)!, Path.GetFileName(path))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        _watcher.Changed += (_, _) => source.Load(path);
        _watcher.Created += (_, _) => source.Load(path);
        _watcher.Renamed += (_, e) =>
        {
            if (string.Equals(e.FullPath, path, StringComparison.Ordinal))
            {
                source.Load(path);
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

    public void Dispose() => _watcher?.Dispose();
}
