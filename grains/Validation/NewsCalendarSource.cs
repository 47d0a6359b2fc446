using Microsoft.Extensions.Logging;

namespace SignalFlow.Validation;

/// <summary>What the silo knows of its news calendar: the one in force and the last refusal, if any since.</summary>
[GenerateSerializer, Immutable]
public sealed record NewsCalendarStatus(
    [property: Id(0)] string? Path,
    [property: Id(1)] int Events,
    [property: Id(2)] DateTimeOffset? LoadedAt,
    [property: Id(3)] string? LastError,
    [property: Id(4)] DateTimeOffset? LastErrorAt);

/// <summary>
/// The news calendar in force on this silo. <see cref="Load"/> reads the file whole; a malformed or unreadable file is
/// refused (logged with its line, counted, shown in <see cref="Status"/>) and the previous calendar stays in force.
/// </summary>
public sealed partial class NewsCalendarSource(ValidationMetrics metrics, TimeProvider time, ILogger<NewsCalendarSource> logger)
{
    private readonly Lock _lock = new();
    private NewsCalendar _current = NewsCalendar.Empty;
    private NewsCalendarStatus _status = new(null, 0, null, null, null);

    public NewsCalendar Current => _current;

    public NewsCalendarStatus Status => _status;

    /// <summary>Raised after every load, accepted or refused.</summary>
    public event Action<NewsCalendarStatus>? Loaded;

    /// <summary>Loads <paramref name="path"/>; false (the previous calendar kept) when it is refused.</summary>
    public bool Load(string path)
    {
        var accepted = LoadFile(path);
        Loaded?.Invoke(_status);
        return accepted;
    }

    private bool LoadFile(string path)
    {
        lock (_lock)
        {
            try
            {
                using var reader = new StreamReader(path);
                var calendar = NewsCalendar.Parse(reader);
                _current = calendar;
                _status = new NewsCalendarStatus(path, calendar.Events.Count, time.GetUtcNow(), null, null);
                metrics.NewsCalendarLoaded();
                LogLoaded(path, calendar.Events.Count);
                return true;
            }
            catch (Exception e) when (e is NewsCalendarFormatException or IOException or UnauthorizedAccessException)
            {
                _status = _status with { Path = path, LastError = e.Message, LastErrorAt = time.GetUtcNow() };
                metrics.NewsCalendarRefused();
                LogRefused(path, e.Message, _status.Events);
                return false;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "News calendar {Path}: {Count} event(s) in force")]
    private partial void LogLoaded(string path, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "News calendar {Path} refused ({Problem}); the previous calendar ({Count} event(s)) stays in force")]
    private partial void LogRefused(string path, string problem, int count);
}
