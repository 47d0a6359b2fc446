using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace SignalFlow.Domain;

/// <summary>
/// A fixed-length OANDA granularity (S5 … D). Weekly and monthly candles have variable length and are not supported.
/// </summary>
[GenerateSerializer, Immutable]
public readonly record struct Timeframe : IComparable<Timeframe>
{
    private static readonly FrozenDictionary<string, TimeSpan> Known = new Dictionary<string, TimeSpan>
    {
        ["S5"] = TimeSpan.FromSeconds(5),
        ["S10"] = TimeSpan.FromSeconds(10),
        ["S15"] = TimeSpan.FromSeconds(15),
        ["S30"] = TimeSpan.FromSeconds(30),
        ["M1"] = TimeSpan.FromMinutes(1),
        ["M2"] = TimeSpan.FromMinutes(2),
        ["M4"] = TimeSpan.FromMinutes(4),
        ["M5"] = TimeSpan.FromMinutes(5),
        ["M10"] = TimeSpan.FromMinutes(10),
        ["M15"] = TimeSpan.FromMinutes(15),
        ["M30"] = TimeSpan.FromMinutes(30),
        ["H1"] = TimeSpan.FromHours(1),
        ["H2"] = TimeSpan.FromHours(2),
        ["H3"] = TimeSpan.FromHours(3),
        ["H4"] = TimeSpan.FromHours(4),
        ["H6"] = TimeSpan.FromHours(6),
        ["H8"] = TimeSpan.FromHours(8),
        ["H12"] = TimeSpan.FromHours(12),
        ["D"] = TimeSpan.FromDays(1),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    [Id(0)]
    private readonly string? _code;

    private Timeframe(string code) => _code = code;

    public static Timeframe M1 => new("M1");
    public static Timeframe M5 => new("M5");
    public static Timeframe M15 => new("M15");
    public static Timeframe M30 => new("M30");
    public static Timeframe H1 => new("H1");
    public static Timeframe H4 => new("H4");
    public static Timeframe D => new("D");

    public static IEnumerable<string> SupportedCodes => Known.Keys.OrderBy(c => Known[c]);

    /// <summary>The OANDA granularity code, e.g. <c>H4</c>.</summary>
    public string Code => _code ?? throw new InvalidOperationException("Default Timeframe has no code.");

    public TimeSpan Duration => Known[Code];

    public static Timeframe Parse(string value) =>
        TryParse(value, out var timeframe, out var error) ? timeframe : throw new FormatException(error);

    public static bool TryParse(string? value, out Timeframe timeframe, [NotNullWhen(false)] out string? error)
    {
        timeframe = default;
        if (value is not null && Known.ContainsKey(value))
        {
            timeframe = new Timeframe(value);
            error = null;
            return true;
        }

        error = $"Timeframe '{value}' is not a supported OANDA granularity ({string.Join(' ', SupportedCodes)}).";
        return false;
    }

    public int CompareTo(Timeframe other) => Duration.CompareTo(other.Duration);

    public override string ToString() => _code ?? string.Empty;
}
