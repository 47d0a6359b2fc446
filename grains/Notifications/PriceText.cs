using System.Globalization;
using SignalFlow.Domain;

namespace SignalFlow.Notifications;

/// <summary>Prices as traders quote them: 3 decimals for JPY quotes, 5 otherwise (not 17 significant digits).</summary>
public static class PriceText
{
    public static string Format(Instrument instrument, double price) =>
        price.ToString(instrument.QuoteCurrency == "JPY" ? "F3" : "F5", CultureInfo.InvariantCulture);
}
