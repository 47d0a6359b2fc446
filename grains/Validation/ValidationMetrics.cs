using System.Diagnostics.Metrics;
using SignalFlow.Telemetry;

namespace SignalFlow.Validation;

/// <summary>Counters of the validation rules, on the <c>SignalFlow</c> meter.</summary>
public sealed class ValidationMetrics
{
    private readonly Counter<long> _suppressed;
    private readonly Counter<long> _calendarRefused;
    private readonly Counter<long> _calendarLoaded;

    public ValidationMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(SignalFlowMetrics.MeterName);
        _suppressed = meter.CreateCounter<long>("signalflow.signals.suppressed", description: "Signals held back by a validation rule, by strategy and rule (min_confidence, session, news_blackout, exposure).");
        _calendarRefused = meter.CreateCounter<long>("signalflow.news_calendar.refused", description: "News calendar loads refused (malformed or unreadable file); the previous calendar stays in force.");
        _calendarLoaded = meter.CreateCounter<long>("signalflow.news_calendar.loaded", description: "News calendar loads accepted.");
    }

    public void SignalSuppressed(string strategy, string rule) =>
        _suppressed.Add(1, new KeyValuePair<string, object?>("strategy", strategy), new KeyValuePair<string, object?>("rule", rule));

    public void NewsCalendarRefused() => _calendarRefused.Add(1);

    public void NewsCalendarLoaded() => _calendarLoaded.Add(1);
}
