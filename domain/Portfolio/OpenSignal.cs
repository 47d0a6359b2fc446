using SignalFlow.Domain;

namespace SignalFlow.Portfolio;

/// <summary>
/// A signal while it is open: from the close of its candle (when it was issued) until it resolves or
/// <see cref="ClosesAt"/>. A BUY is long the instrument's base currency and short its quote currency (a EUR_USD BUY is
/// long EUR and short USD); a SELL the other way round.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record OpenSignal(
    [property: Id(0)] string SignalId,
    [property: Id(1)] string StrategyId,
    [property: Id(2)] Instrument Instrument,
    [property: Id(3)] SignalDirection Direction,
    [property: Id(4)] DateTime OpenedAt,
    [property: Id(5)] DateTime ClosesAt)
{
    /// <summary>
    /// The signal, open from its candle's close for <paramref name="maxBarsOpen"/> candles of its timeframe (the
    /// strategy's <c>max_bars_held</c>, or the portfolio's age limit): the latest it can still be running.
    /// </summary>
    public static OpenSignal Of(Signal signal, int maxBarsOpen)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBarsOpen, 1);
        var openedAt = signal.Time + signal.Timeframe.Duration;
        return new OpenSignal(signal.Id, signal.StrategyId, signal.Instrument, signal.Direction, openedAt,
            openedAt + (signal.Timeframe.Duration * maxBarsOpen));
    }

    /// <summary>The currency this signal is long: the base currency of a BUY, the quote currency of a SELL.</summary>
    public string LongCurrency => Direction == SignalDirection.Buy ? Instrument.BaseCurrency : Instrument.QuoteCurrency;

    /// <summary>The currency this signal is short: the quote currency of a BUY, the base currency of a SELL.</summary>
    public string ShortCurrency => Direction == SignalDirection.Buy ? Instrument.QuoteCurrency : Instrument.BaseCurrency;

    public bool IsOpenAt(DateTime time) => OpenedAt <= time && time < ClosesAt;
}

/// <summary>How many open signals are long and how many short one currency.</summary>
[GenerateSerializer, Immutable]
public sealed record CurrencyExposure(
    [property: Id(0)] string Currency,
    [property: Id(1)] int Long,
    [property: Id(2)] int Short)
{
    /// <summary>Long minus short: positive when the open signals lean long the currency.</summary>
    public int Net => Long - Short;
}

/// <summary>
/// Opening a signal would take its long (or short) currency past the limit of open signals on that side.
/// <see cref="Open"/> are the signals already open on that side of <see cref="Currency"/>.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ExposureBreach(
    [property: Id(0)] string Currency,
    [property: Id(1)] SignalDirection Side,
    [property: Id(2)] int Limit,
    [property: Id(3)] IReadOnlyList<string> Open)
{
    public string Describe() =>
        $"{Open.Count} open signal(s) already {(Side == SignalDirection.Buy ? "long" : "short")} {Currency} (limit {Limit}): {string.Join(", ", Open)}";
}
