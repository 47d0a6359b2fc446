using SignalFlow.Domain;

namespace SignalFlow.Silo.Api;

/// <summary>Prices as the instrument quotes them and pips to a tenth, for responses only (stored values keep full precision).</summary>
public static class ApiPrices
{
    /// <summary>One digit below the pip, as OANDA quotes FX: 5 decimals (pip 0.0001), 3 for JPY-quoted pairs (pip 0.01).</summary>
    public static int Decimals(Instrument instrument) => (int)Math.Round(Math.Log10(instrument.PipMultiplier)) + 1;

    public static Signal Round(Signal signal)
    {
        var decimals = Decimals(signal.Instrument);
        return signal with
        {
            Close = Math.Round(signal.Close, decimals),
            SlowMa = signal.SlowMa is { } slow ? Math.Round(slow, decimals) : null,
            FastMa = signal.FastMa is { } fast ? Math.Round(fast, decimals) : null,
            StopLoss = Math.Round(signal.StopLoss, decimals),
            TakeProfit = Math.Round(signal.TakeProfit, decimals),
            Atr = Math.Round(signal.Atr, decimals),
            SlPips = Math.Round(signal.SlPips, 1),
            TpPips = Math.Round(signal.TpPips, 1),
        };
    }

    public static Candle Round(Candle candle)
    {
        var decimals = Decimals(candle.Instrument);
        return candle with
        {
            Open = Math.Round(candle.Open, decimals),
            High = Math.Round(candle.High, decimals),
            Low = Math.Round(candle.Low, decimals),
            Close = Math.Round(candle.Close, decimals),
        };
    }
}
