using System.Globalization;
using System.Text.Json;
using SignalFlow.Domain;
using SignalFlow.Indicators;

namespace SignalFlow.Strategies;

/// <summary>
/// Reads a strategies file: a JSON array of objects with snake_case keys, the legacy <c>strategies-4ex.json</c> format
/// extended by <c>kind</c> (absent = <c>ma_crossover</c>), the kind's own keys, <c>atr_smoothing</c> and
/// <c>max_bars_held</c>. Unusable entries are errors naming the entry and the key; legal but odd ones (fast period
/// above slow, a risk/reward that can never pass its own minimum, a key no kind reads) load with a warning.
/// </summary>
public static class StrategySettingsLoader
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private static readonly string[] CommonKeys =
        ["id", "instrument", "timeframe", "kind", "atr_period", "atr_smoothing", "sl_atr_multiplier", "tp_atr_multiplier",
         "min_atr_value", "min_rr_ratio", "max_bars_held"];

    public static readonly StrategyParameter AtrPeriod = StrategyParameter.Period("atr_period");
    public static readonly StrategyParameter SlAtrMultiplier = new("sl_atr_multiplier", false, double.Epsilon, double.MaxValue);
    public static readonly StrategyParameter TpAtrMultiplier = new("tp_atr_multiplier", false, double.Epsilon, double.MaxValue);
    public static readonly StrategyParameter MinAtrValue = new("min_atr_value", false, 0, double.MaxValue);
    public static readonly StrategyParameter MinRiskRewardRatio = new("min_rr_ratio", false, 0, double.MaxValue);
    public static readonly StrategyParameter MaxBarsHeld = StrategyParameter.Period("max_bars_held", required: false);

    /// <summary>The numeric keys every kind has, with their ranges.</summary>
    public static IReadOnlyList<StrategyParameter> CommonNumbers { get; } =
        [AtrPeriod, SlAtrMultiplier, TpAtrMultiplier, MinAtrValue, MinRiskRewardRatio, MaxBarsHeld];

    public static StrategySettingsLoadResult LoadFile(string path, StrategyKinds? kinds = null)
    {
        if (!File.Exists(path))
        {
            throw new StrategyConfigurationException($"Strategy settings file '{path}' does not exist.");
        }

        return Parse(File.ReadAllText(path), path, kinds);
    }

    public static StrategySettingsLoadResult Parse(string json, string source, StrategyKinds? kinds = null)
    {
        kinds ??= StrategyKinds.Default;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw new StrategyConfigurationException($"Strategy settings '{source}' are not valid JSON: {ex.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new StrategyConfigurationException(
                    $"Strategy settings '{source}' are not a JSON array of strategy objects (found {document.RootElement.ValueKind}).");
            }

            var settings = new List<StrategySettings>();
            var warnings = new List<string>();
            var errors = new List<string>();
            var ids = new HashSet<string>(StringComparer.Ordinal);
            var index = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                var entry = ReadEntry(element, kinds);
                var label = $"entry {index++} ('{entry.Id ?? "no id"}')";
                var entryErrors = entry.Errors.ToList();
                if (entry.Id is { } id && !ids.Add(id))
                {
                    entryErrors.Insert(0, new StrategyEntryError("id", $"id '{id}' is used by an earlier entry"));
                }

                if (entryErrors.Count > 0)
                {
                    errors.AddRange(entryErrors.Select(e => $"{label}: {e.Message}."));
                    continue;
                }

                warnings.AddRange(entry.Warnings.Select(w => $"{label}: {w}."));
                settings.Add(entry.Settings!);
            }

            if (errors.Count > 0)
            {
                throw new StrategyConfigurationException(
                    $"Strategy settings '{source}' have {errors.Count} error(s):{Environment.NewLine}  "
                    + string.Join(Environment.NewLine + "  ", errors));
            }

            return new StrategySettingsLoadResult(settings, warnings);
        }
    }

    /// <summary>
    /// One strategy object, as an entry of the strategies file (the HTTP API's create and replace bodies), checked by
    /// the same rules; what is wrong comes back keyed by the entry's key it is about.
    /// </summary>
    public static StrategyEntryResult ParseEntry(string json, StrategyKinds? kinds = null)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            return new StrategyEntryResult(null, null, [new StrategyEntryError("", $"not valid JSON: {ex.Message}")], []);
        }

        using (document)
        {
            return ReadEntry(document.RootElement, kinds ?? StrategyKinds.Default);
        }
    }

    private static StrategyEntryResult ReadEntry(JsonElement element, StrategyKinds kinds)
    {
        var entry = new Entry(element, kinds);
        var strategy = entry.Errors.Count == 0 ? entry.Build() : null;
        var warnings = new List<string>();
        if (strategy is not null)
        {
            foreach (var issue in entry.Issues(strategy))
            {
                if (issue.IsError)
                {
                    entry.Errors.Add(new StrategyEntryError(issue.Key ?? "", issue.Message));
                }
                else
                {
                    warnings.Add(issue.Message);
                }
            }
        }

        return entry.Errors.Count > 0
            ? new StrategyEntryResult(null, entry.Id, entry.Errors, [])
            : new StrategyEntryResult(strategy, entry.Id, [], [.. warnings, .. entry.Warnings]);
    }

    /// <summary>One entry's keys read and checked; what is wrong collects in <see cref="Errors"/>.</summary>
    private sealed class Entry
    {
        private readonly JsonElement _element;
        private readonly IStrategyKind? _kind;

        public Entry(JsonElement element, StrategyKinds kinds)
        {
            _element = element;
            if (element.ValueKind != JsonValueKind.Object)
            {
                Errors.Add(new StrategyEntryError("", $"{element.ValueKind} instead of a strategy object"));
                return;
            }

            Id = Text("id");
            if (string.IsNullOrWhiteSpace(Id))
            {
                Errors.Add(new StrategyEntryError("id", "missing 'id'"));
            }

            var kindName = Text("kind") ?? StrategyKinds.LegacyKind;
            _kind = kinds.Find(kindName);
            if (_kind is null)
            {
                Errors.Add(new StrategyEntryError("kind", $"'kind': unknown strategy kind '{kindName}' (known: {string.Join(", ", kinds.Names)})"));
            }

            if (!Domain.Instrument.TryParse(Text("instrument"), out var instrument, out var instrumentError))
            {
                Errors.Add(new StrategyEntryError("instrument", $"'instrument': {instrumentError}"));
            }

            if (!Domain.Timeframe.TryParse(Text("timeframe"), out var timeframe, out var timeframeError))
            {
                Errors.Add(new StrategyEntryError("timeframe", $"'timeframe': {timeframeError}"));
            }

            Instrument = instrument;
            Timeframe = timeframe;
            var known = CommonKeys.Concat(_kind?.Parameters.Select(p => p.Name) ?? []).ToHashSet(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject().Where(p => !known.Contains(p.Name)))
            {
                Warnings.Add($"key '{property.Name}' is not read by kind '{kindName}' and is ignored");
            }
        }

        public string? Id { get; }

        public Instrument Instrument { get; }

        public Timeframe Timeframe { get; }

        public List<StrategyEntryError> Errors { get; } = [];

        public List<string> Warnings { get; } = [];

        public StrategySettings? Build()
        {
            var atrPeriod = Number(AtrPeriod);
            var smoothing = Text("atr_smoothing") switch
            {
                null or "simple" => AtrSmoothing.Simple,
                "wilder" => AtrSmoothing.Wilder,
                var other => Fail<AtrSmoothing>("atr_smoothing", $"'atr_smoothing' must be 'simple' or 'wilder' (got '{other}')"),
            };
            var sl = Number(SlAtrMultiplier);
            var tp = Number(TpAtrMultiplier);
            var minAtr = Number(MinAtrValue);
            var minRr = Number(MinRiskRewardRatio);
            var maxBars = Number(MaxBarsHeld);
            var parameters = new List<(string, double)>();
            foreach (var parameter in _kind!.Parameters)
            {
                if (Number(parameter) is { } value)
                {
                    parameters.Add((parameter.Name, value));
                }
            }

            return Errors.Count > 0
                ? null
                : new StrategySettings(Id!, _kind.Name, Instrument, Timeframe, (int)atrPeriod!.Value, smoothing, sl!.Value, tp!.Value,
                    minAtr!.Value, minRr!.Value, (int?)maxBars, NamedValues.From(parameters));
        }

        public IEnumerable<StrategyIssue> Issues(StrategySettings strategy)
        {
            foreach (var issue in _kind!.Check(strategy))
            {
                yield return issue;
            }

            if (strategy.RiskRewardRatio < strategy.MinRiskRewardRatio)
            {
                yield return StrategyIssue.Warning(string.Create(CultureInfo.InvariantCulture,
                    $"risk/reward tp/sl = {strategy.RiskRewardRatio:0.###} is below its own min_rr_ratio {strategy.MinRiskRewardRatio:0.###}: it can never emit a signal"));
            }
        }

        private double? Number(StrategyParameter parameter)
        {
            if (!_element.TryGetProperty(parameter.Name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (parameter.Required && parameter.Default is null)
                {
                    Errors.Add(new StrategyEntryError(parameter.Name, $"missing '{parameter.Name}'"));
                }

                return parameter.Default;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number))
            {
                Errors.Add(new StrategyEntryError(parameter.Name, $"'{parameter.Name}' must be a number (got {value.GetRawText()})"));
                return null;
            }

            if (parameter.Problem(number) is { } problem)
            {
                Errors.Add(new StrategyEntryError(parameter.Name, $"'{parameter.Name}' {problem}"));
                return null;
            }

            return number;
        }

        private string? Text(string key) =>
            _element.ValueKind == JsonValueKind.Object && _element.TryGetProperty(key, out var value)
                ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
                : null;

        private T Fail<T>(string key, string error)
        {
            Errors.Add(new StrategyEntryError(key, error));
            return default!;
        }
    }
}

public sealed record StrategySettingsLoadResult(IReadOnlyList<StrategySettings> Strategies, IReadOnlyList<string> Warnings);

/// <summary>What is wrong with one key of an entry (<see cref="Key"/> empty: with the entry as a whole).</summary>
public sealed record StrategyEntryError(string Key, string Message);

/// <summary>One entry read: its settings, or the errors that stop it; warnings of a usable entry (keys no kind reads, ...).</summary>
public sealed record StrategyEntryResult(StrategySettings? Settings, string? Id, IReadOnlyList<StrategyEntryError> Errors, IReadOnlyList<string> Warnings);

public sealed class StrategyConfigurationException(string message) : Exception(message);
