namespace SignalFlow.Portfolio;

/// <summary>
/// The signals open across all series, with their currency exposure. Time is the signals' own (candle) time, not the
/// wall clock, so a replay of old candles builds the same portfolio as the live run did.
/// </summary>
public sealed class OpenSignalPortfolio
{
    private readonly Dictionary<string, OpenSignal> _signals = new(StringComparer.Ordinal);

    public OpenSignalPortfolio(IEnumerable<OpenSignal>? signals = null)
    {
        foreach (var signal in signals ?? [])
        {
            _signals[signal.SignalId] = signal;
        }
    }

    /// <summary>Every signal held, open or not yet pruned, in opening order.</summary>
    public IReadOnlyList<OpenSignal> All => Ordered(_signals.Values);

    /// <summary>Adds the signal; false (and nothing changes) when its id is already held: registration is idempotent.</summary>
    public bool Add(OpenSignal signal) => _signals.TryAdd(signal.SignalId, signal);

    public bool Contains(string signalId) => _signals.ContainsKey(signalId);

    /// <summary>The signal resolved (target, stop or expiry) at <paramref name="resolvedAt"/>: it is open only before then. False when not held.</summary>
    public bool Resolve(string signalId, DateTime resolvedAt)
    {
        if (!_signals.TryGetValue(signalId, out var signal))
        {
            return false;
        }

        if (resolvedAt < signal.ClosesAt)
        {
            _signals[signalId] = signal with { ClosesAt = resolvedAt < signal.OpenedAt ? signal.OpenedAt : resolvedAt };
        }

        return true;
    }

    /// <summary>Drops the signals closed at or before <paramref name="time"/>; returns how many.</summary>
    public int RemoveClosedBy(DateTime time)
    {
        var closed = _signals.Values.Where(s => s.ClosesAt <= time).Select(s => s.SignalId).ToList();
        closed.ForEach(id => _signals.Remove(id));
        return closed.Count;
    }

    /// <summary>The signals open at <paramref name="time"/> (other than <paramref name="excludingId"/>), in opening order.</summary>
    public IReadOnlyList<OpenSignal> OpenAt(DateTime time, string? excludingId = null) =>
        Ordered(_signals.Values.Where(s => s.IsOpenAt(time) && s.SignalId != excludingId));

    /// <summary>Per currency, how many signals open at <paramref name="time"/> are long and short it, by currency name.</summary>
    public IReadOnlyList<CurrencyExposure> ExposureAt(DateTime time, string? excludingId = null)
    {
        var open = OpenAt(time, excludingId);
        return open.Select(s => s.LongCurrency).Concat(open.Select(s => s.ShortCurrency))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(c => new CurrencyExposure(c, open.Count(s => s.LongCurrency == c), open.Count(s => s.ShortCurrency == c)))
            .ToList();
    }

    /// <summary>
    /// Whether opening <paramref name="candidate"/> would make more than <paramref name="maxPerCurrencySide"/> signals
    /// open at its opening time long its long currency, or short its short currency; null when it fits.
    /// </summary>
    public ExposureBreach? FindBreach(OpenSignal candidate, int maxPerCurrencySide)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPerCurrencySide, 1);
        var open = OpenAt(candidate.OpenedAt, excludingId: candidate.SignalId);
        var sameLong = open.Where(s => s.LongCurrency == candidate.LongCurrency).Select(s => s.SignalId).ToList();
        if (sameLong.Count >= maxPerCurrencySide)
        {
            return new ExposureBreach(candidate.LongCurrency, Domain.SignalDirection.Buy, maxPerCurrencySide, sameLong);
        }

        var sameShort = open.Where(s => s.ShortCurrency == candidate.ShortCurrency).Select(s => s.SignalId).ToList();
        return sameShort.Count >= maxPerCurrencySide
            ? new ExposureBreach(candidate.ShortCurrency, Domain.SignalDirection.Sell, maxPerCurrencySide, sameShort)
            : null;
    }

    private static List<OpenSignal> Ordered(IEnumerable<OpenSignal> signals) =>
        signals.OrderBy(s => s.OpenedAt).ThenBy(s => s.SignalId, StringComparer.Ordinal).ToList();
}
