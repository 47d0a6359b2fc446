using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace SignalFlow.Domain;

/// <summary>An OANDA instrument name such as <c>EUR_USD</c> or <c>SPX500_USD</c>, validated on construction.</summary>
[GenerateSerializer, Immutable]
public readonly partial record struct Instrument : IComparable<Instrument>
{
    [Id(0)]
    private readonly string? _name;

    private Instrument(string name) => _name = name;

    /// <summary>The OANDA name, e.g. <c>EUR_USD</c>.</summary>
    public string Name => _name ?? throw new InvalidOperationException("Default Instrument has no name.");

    public string BaseCurrency => Name[..Name.IndexOf('_')];

    public string QuoteCurrency => Name[(Name.IndexOf('_') + 1)..];

    /// <summary>Price-difference-to-pips factor: 100 for JPY-quoted pairs, else 10000 (legacy rule).</summary>
    public double PipMultiplier => QuoteCurrency == "JPY" ? 100.0 : 10000.0;

    public static Instrument Parse(string value) =>
        TryParse(value, out var instrument, out var error) ? instrument : throw new FormatException(error);

    public static bool TryParse(string? value, out Instrument instrument, [NotNullWhen(false)] out string? error)
    {
        instrument = default;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = "Instrument is empty; expected OANDA form such as EUR_USD.";
            return false;
        }

        if (!InstrumentPattern().IsMatch(value))
        {
            error = $"Instrument '{value}' is not in OANDA form BASE_QUOTE (e.g. EUR_USD; 'EUR/USD' is not accepted).";
            return false;
        }

        instrument = new Instrument(value);
        error = null;
        return true;
    }

    public int CompareTo(Instrument other) => string.CompareOrdinal(_name, other._name);

    public override string ToString() => _name ?? string.Empty;

    [GeneratedRegex("^[A-Z0-9]{2,10}_[A-Z]{3}$", RegexOptions.CultureInvariant)]
    private static partial Regex InstrumentPattern();
}
