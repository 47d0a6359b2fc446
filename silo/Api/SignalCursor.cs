using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using SignalFlow.Domain;

namespace SignalFlow.Silo.Api;

/// <summary>
/// A position in the v1 signal order (candle time newest first, then id): the page after it starts strictly after it.
/// Opaque to clients (base64url); a signal stored later never moves an existing position, so pages neither repeat nor skip.
/// </summary>
public readonly record struct SignalCursor(DateTime Time, string Id)
{
    public static SignalCursor Of(Signal signal) => new(signal.Time, signal.Id);

    /// <summary>True when <paramref name="signal"/> comes after this position in the v1 order.</summary>
    public bool Precedes(Signal signal) =>
        signal.Time < Time || (signal.Time == Time && string.CompareOrdinal(signal.Id, Id) > 0);

    public static IOrderedEnumerable<Signal> InOrder(IEnumerable<Signal> signals) =>
        signals.OrderByDescending(s => s.Time).ThenBy(s => s.Id, StringComparer.Ordinal);

    public override string ToString() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Time.Ticks}|{Id}")));

    public static bool TryParse(string value, [NotNullWhen(true)] out SignalCursor? cursor)
    {
        cursor = null;
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(value));
            var bar = text.IndexOf('|', StringComparison.Ordinal);
            if (bar > 0 && bar < text.Length - 1
                && long.TryParse(text.AsSpan(0, bar), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && ticks is >= 0 and <= 3155378975999999999)
            {
                cursor = new SignalCursor(new DateTime(ticks, DateTimeKind.Utc), text[(bar + 1)..]);
                return true;
            }
        }
        catch (FormatException)
        {
        }

        return false;
    }
}
