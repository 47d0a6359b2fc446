using System.Text.Json;
using System.Text.Json.Serialization;
using SignalFlow.Domain;

namespace SignalFlow.Strategies;

/// <summary>
/// Reads strategy settings in the legacy format (a JSON array of objects with snake_case keys, as in
/// <c>strategies-4ex.json</c>). Entries that are unusable are errors; entries that are legal but odd (fast period
/// above slow, a risk/reward that can never pass its own minimum) load with a warning.
/// </summary>
public static class StrategySettingsLoader
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    public static StrategySettingsLoadResult LoadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new StrategyConfigurationException($"Strategy settings file '{path}' does not exist.");
        }

        return Parse(File.ReadAllText(path), path);
    }

    public static StrategySettingsLoadResult Parse(string json, string source)
    {
        LegacyStrategyEntry?[]? entries;
        try
        {
            entries = JsonSerializer.Deserialize<LegacyStrategyEntry?[]>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new StrategyConfigurationException(
                $"Strategy settings '{source}' are not a JSON array of strategy objects: {ex.Message}");
        }

        if (entries is null)
        {
            throw new StrategyConfigurationException($"Strategy settings '{source}' hold no array.");
        }

        var settings = new List<StrategySettings>();
        var warnings = new List<string>();
        var errors = new List<string>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var index = 0; index < entries.Length; index++)
        {
            var entry = entries[index];
            var label = $"entry {index} ('{entry?.Id ?? "no id"}')";
            if (entry is null)
            {
                errors.Add($"{label}: null instead of a strategy object.");
                continue;
            }

            var entryErrors = Validate(entry).ToList();
            if (entry.Id is { } id && !ids.Add(id))
            {
                entryErrors.Add($"id '{id}' is used by an earlier entry");
            }

            if (entryErrors.Count > 0)
            {
                errors.AddRange(entryErrors.Select(e => $"{label}: {e}."));
                continue;
            }

            var strategy = new StrategySettings(
                entry.Id!,
                Instrument.Parse(entry.Instrument!),
                Timeframe.Parse(entry.Timeframe!),
                entry.FastMa!.Value,
                entry.SlowMa!.Value,
                entry.AtrPeriod!.Value,
                entry.SlAtrMultiplier!.Value,
                entry.TpAtrMultiplier!.Value,
                entry.MinAtrValue!.Value,
                entry.MinRrRatio!.Value);
            warnings.AddRange(Oddities(strategy).Select(w => $"{label}: {w}."));
            settings.Add(strategy);
        }

        if (errors.Count > 0)
        {
            throw new StrategyConfigurationException(
                $"Strategy settings '{source}' have {errors.Count} error(s):{Environment.NewLine}  "
                + string.Join(Environment.NewLine + "  ", errors));
        }

        return new StrategySettingsLoadResult(settings, warnings);
    }

    private static IEnumerable<string> Validate(LegacyStrategyEntry entry)
    {
        if (string.IsNullOrWhiteSpace(entry.Id))
        {
            yield return "missing 'id'";
        }

        if (!Instrument.TryParse(entry.Instrument, out _, out var instrumentError))
        {
            yield return $"'instrument': {instrumentError}";
        }

        if (!Timeframe.TryParse(entry.Timeframe, out _, out var timeframeError))
        {
            yield return $"'timeframe': {timeframeError}";
        }

        foreach (var (name, value) in new[] { ("fast_ma", entry.FastMa), ("slow_ma", entry.SlowMa), ("atr_period", entry.AtrPeriod) })
        {
            if (value is not > 0)
            {
                yield return $"'{name}' must be a positive whole number (got {Show(value)})";
            }
        }

        foreach (var (name, value) in new[] { ("sl_atr_multiplier", entry.SlAtrMultiplier), ("tp_atr_multiplier", entry.TpAtrMultiplier) })
        {
            if (value is not > 0 || !double.IsFinite(value.Value))
            {
                yield return $"'{name}' must be a positive number (got {Show(value)})";
            }
        }

        foreach (var (name, value) in new[] { ("min_atr_value", entry.MinAtrValue), ("min_rr_ratio", entry.MinRrRatio) })
        {
            if (value is not >= 0 || !double.IsFinite(value.Value))
            {
                yield return $"'{name}' must be a number of at least 0 (got {Show(value)})";
            }
        }
    }

    private static IEnumerable<string> Oddities(StrategySettings s)
    {
        if (s.FastMaPeriod == s.SlowMaPeriod)
        {
            yield return $"fast_ma equals slow_ma ({s.FastMaPeriod}): the averages are identical and never cross, so it emits no signal";
        }
        else if (s.FastMaPeriod > s.SlowMaPeriod)
        {
            yield return $"fast_ma ({s.FastMaPeriod}) is longer than slow_ma ({s.SlowMaPeriod}): loaded as written, so BUY means the "
                + $"{s.FastMaPeriod}-period average crossed above the {s.SlowMaPeriod}-period one (the reverse of the usual meaning)";
        }

        if (s.RiskRewardRatio < s.MinRiskRewardRatio)
        {
            yield return $"risk/reward tp/sl = {s.RiskRewardRatio:0.###} is below its own min_rr_ratio {s.MinRiskRewardRatio:0.###}: "
                + "it can never emit a signal";
        }
    }

    private static string Show<T>(T? value) where T : struct => value?.ToString() ?? "nothing";

    private sealed class LegacyStrategyEntry
    {
        [JsonPropertyName("id")] public string? Id { get; set; }
        [JsonPropertyName("instrument")] public string? Instrument { get; set; }
        [JsonPropertyName("timeframe")] public string? Timeframe { get; set; }
        [JsonPropertyName("fast_ma")] public int? FastMa { get; set; }
        [JsonPropertyName("slow_ma")] public int? SlowMa { get; set; }
        [JsonPropertyName("atr_period")] public int? AtrPeriod { get; set; }
        [JsonPropertyName("sl_atr_multiplier")] public double? SlAtrMultiplier { get; set; }
        [JsonPropertyName("tp_atr_multiplier")] public double? TpAtrMultiplier { get; set; }
        [JsonPropertyName("min_atr_value")] public double? MinAtrValue { get; set; }
        [JsonPropertyName("min_rr_ratio")] public double? MinRrRatio { get; set; }
    }
}

public sealed record StrategySettingsLoadResult(IReadOnlyList<StrategySettings> Strategies, IReadOnlyList<string> Warnings);

public sealed class StrategyConfigurationException(string message) : Exception(message);
