using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace SignalFlow.Tests.Oanda;

/// <summary>Sums the long counters of the meters one <see cref="IMeterFactory"/> made, by instrument and tag value.</summary>
internal sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _sums = new();

    public MetricRecorder(IMeterFactory factory)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == factory)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            _sums.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value);
            foreach (var tag in tags)
            {
                _sums.AddOrUpdate($"{instrument.Name}[{tag.Value}]", value, (_, sum) => sum + value);
            }
        });
        _listener.Start();
    }

    /// <summary>The total of a counter, or of its measurements carrying the tag value <paramref name="tagValue"/>.</summary>
    public long Sum(string instrument, string? tagValue = null) =>
        _sums.GetValueOrDefault(tagValue is null ? instrument : $"{instrument}[{tagValue}]");

    public void Dispose() => _listener.Dispose();
}
