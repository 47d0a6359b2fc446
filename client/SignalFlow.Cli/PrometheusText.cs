using System.Globalization;
using System.Text;

namespace SignalFlow.Cli;

public sealed record MetricSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public string? Label(string name) => Labels.GetValueOrDefault(name);
}

/// <summary>
/// Reads the Prometheus text exposition format (version 0.0.4) that the silo's <c>/metrics</c> serves: samples
/// only, comments skipped. Hand-written because the served parsers are servers (prometheus-net) or exporters;
/// reading a scrape needs a few dozen lines.
/// </summary>
public static class PrometheusText
{
    public static IReadOnlyList<MetricSample> Parse(string text)
    {
        var samples = new List<MetricSample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            try
            {
                samples.Add(ParseLine(line));
            }
            catch (ArgumentOutOfRangeException)
            {
                throw new FormatException($"metrics line cut short: {line}");
            }
            catch (IndexOutOfRangeException)
            {
                throw new FormatException($"metrics line cut short: {line}");
            }
        }

        return samples;
    }

    private static MetricSample ParseLine(string line)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        while (i < line.Length && line[i] != '{' && line[i] != ' ')
        {
            i++;
        }

        var name = line[..i];
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var equals = line.IndexOf('=', i);
                var key = line[i..equals].Trim().TrimStart(',').Trim();
                i = equals + 2; // past ="
                var value = new StringBuilder();
                while (line[i] != '"')
                {
                    if (line[i] == '\\')
                    {
                        i++;
                        value.Append(line[i] == 'n' ? '\n' : line[i]);
                    }
                    else
                    {
                        value.Append(line[i]);
                    }

                    i++;
                }

                labels[key] = value.ToString();
                i++;
                while (line[i] is ',' or ' ')
                {
                    i++;
                }
            }

            i++;
        }

        var fields = line[i..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length == 0)
        {
            throw new FormatException($"metrics line without a value: {line}");
        }

        return new MetricSample(name, labels, ParseValue(fields[0]) ?? throw new FormatException($"metrics line with an unreadable value: {line}"));
    }

    /// <summary>A sample value or a histogram bound (<c>le</c>) as Prometheus writes it; null when unreadable.</summary>
    public static double? ParseValue(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null,
    };
}
