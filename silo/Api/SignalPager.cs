using SignalFlow.Domain;
using SignalFlow.Outcomes;
using SignalFlow.Signals;

namespace SignalFlow.Silo.Api;

public sealed record SignalPage(IReadOnlyList<Signal> Items, SignalCursor? Next);

/// <summary>
/// Keyset paging over <see cref="ISignalStore.QueryAsync"/>, which offers only a time range and a limit: each page
/// reads the signals at or before the cursor's candle time and keeps those after the cursor in the v1 order. Filters
/// the store cannot apply (direction, kind, tier, and the outcome, looked up in the store per batch read) are applied
/// here, reading further until the page is full.
/// </summary>
public sealed class SignalPager(ISignalStore store, int maxScan = SignalPager.DefaultMaxScan)
{
    public const int DefaultMaxScan = 20_000;

    /// <param name="outcome">Only signals with this outcome (<see cref="OutcomeResult.Open"/>: none recorded yet); null for any.</param>
    public async Task<SignalPage> PageAsync(SignalQuery query, Func<Signal, bool> filter, SignalCursor? after, int size, CancellationToken cancellationToken,
        OutcomeResult? outcome = null)
    {
        var to = after is { } cursor && (query.To is not { } queryTo || cursor.Time < queryTo) ? cursor.Time : query.To;
        var fetch = Math.Min(size + 1, maxScan);
        while (true)
        {
            var rows = await store.QueryAsync(query with { To = to, Limit = fetch }, cancellationToken);
            var exhausted = rows.Count < fetch;

            // The store cut its answer at the limit, possibly inside the oldest candle time it returned, whose
            // other signals it may have ordered otherwise: only the times before that one are complete.
            var oldest = rows.Count > 0 ? rows.Min(s => s.Time) : default;
            var complete = SignalCursor.InOrder(rows.Where(s => (after is not { } a || a.Precedes(s)) && (exhausted || s.Time > oldest))).ToList();
            var matches = complete.Where(filter).ToList();
            if (outcome is { } wanted && matches.Count > 0)
            {
                var recorded = await store.GetOutcomesAsync(matches.Select(s => s.Id).ToList(), cancellationToken);
                matches = matches.Where(s => (recorded.GetValueOrDefault(s.Id)?.Result ?? OutcomeResult.Open) == wanted).ToList();
            }

            if (matches.Count > size || (matches.Count == size && !exhausted))
            {
                var page = matches.Take(size).ToList();
                return new SignalPage(page, SignalCursor.Of(page[^1]));
            }

            if (exhausted)
            {
                return new SignalPage(matches, null);
            }

            if (fetch >= maxScan)
            {
                // A sparse filter: hand back what this scan found and a cursor where it stopped.
                return complete.Count > 0
                    ? new SignalPage(matches, SignalCursor.Of(complete[^1]))
                    : throw new InvalidOperationException($"More than {maxScan} signals share the candle time {oldest:O}; they cannot be paged.");
            }

            fetch = (int)Math.Min((long)fetch * 4, maxScan);
        }
    }
}
