using SignalFlow.Domain;

namespace SignalFlow.Oanda;

/// <summary>The half-open interval [<see cref="Start"/>, <see cref="End"/>) of one candle, in UTC.</summary>
public readonly record struct CandlePeriod(DateTime Start, DateTime End)
{
    public bool Contains(DateTime utc) => utc >= Start && utc < End;
}

/// <summary>
/// Aligns candles as OANDA does: a day starts at <c>dailyAlignment</c> o'clock in <c>alignmentTimezone</c>
/// (17:00 America/New_York by default, so 22:00 UTC in winter and 21:00 UTC in summer), and every sub-daily
/// timeframe counts its periods from the start of that day. On a DST switch day the day is 23 or 25 hours long and
/// its last sub-daily period is cut at the next day's start (markets are closed then).
/// </summary>
public sealed class CandleAligner
{
    public const int DefaultDailyAlignment = 17;
    public const string DefaultAlignmentTimezone = "America/New_York";

    private readonly TimeZoneInfo _zone;
    private readonly TimeSpan _alignment;

    public CandleAligner(int dailyAlignment = DefaultDailyAlignment, string alignmentTimezone = DefaultAlignmentTimezone)
    {
        if (dailyAlignment is < 0 or > 23)
        {
            throw new ArgumentOutOfRangeException(nameof(dailyAlignment), dailyAlignment, "dailyAlignment must be an hour from 0 to 23.");
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(alignmentTimezone, out var zone))
        {
            throw new ArgumentException($"alignmentTimezone '{alignmentTimezone}' is not a time zone known to this system (e.g. America/New_York).", nameof(alignmentTimezone));
        }

        _zone = zone;
        _alignment = TimeSpan.FromHours(dailyAlignment);
    }

    /// <summary>The period of <paramref name="timeframe"/> that contains the UTC instant <paramref name="utc"/>.</summary>
    public CandlePeriod PeriodOf(DateTime utc, Timeframe timeframe)
    {
        if (utc.Kind != DateTimeKind.Utc)
        {
            throw new ArgumentException($"Time {utc:O} is not UTC.", nameof(utc));
        }

        var dayStart = DayStartOf(utc);
        var nextDayStart = NextDayStart(dayStart);
        if (timeframe.Duration >= TimeSpan.FromDays(1))
        {
            return new CandlePeriod(dayStart, nextDayStart);
        }

        var duration = timeframe.Duration;
        var start = dayStart + duration * Math.Floor((utc - dayStart) / duration);
        var end = start + duration;
        return new CandlePeriod(start, end < nextDayStart ? end : nextDayStart);
    }

    private DateTime DayStartOf(DateTime utc)
    {
        var localDate = TimeZoneInfo.ConvertTimeFromUtc(utc, _zone).Date;
        var start = ToUtc(localDate + _alignment);
        return start <= utc ? start : ToUtc(localDate.AddDays(-1) + _alignment);
    }

    private DateTime NextDayStart(DateTime dayStartUtc) =>
        ToUtc(TimeZoneInfo.ConvertTimeFromUtc(dayStartUtc, _zone).Date.AddDays(1) + _alignment);

    /// <summary>A local wall time to UTC: a time skipped by DST moves to the end of the gap, an ambiguous one takes its first occurrence.</summary>
    private DateTime ToUtc(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        for (var step = 0; _zone.IsInvalidTime(local) && step < 4 * 24; step++)
        {
            local = local.AddMinutes(15);
        }

        if (_zone.IsAmbiguousTime(local))
        {
            var firstOffset = _zone.GetAmbiguousTimeOffsets(local).Max();
            return DateTime.SpecifyKind(local - firstOffset, DateTimeKind.Utc);
        }

        return TimeZoneInfo.ConvertTimeToUtc(local, _zone);
    }
}
