using Microsoft.Extensions.Time.Testing;
using SignalFlow.Client;
using SignalFlow.Domain;
using SignalFlow.Grains;

namespace SignalFlow.Tests.Cluster.Client;

public sealed class SignalWatcherTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Lookback = TimeSpan.FromHours(24);
    private static readonly DateTime Monday = new(2024, 3, 4, 0, 0, 0, DateTimeKind.Utc);

    private readonly FakeTimeProvider _time = new();
    private readonly List<Signal> _stored = [];
    private readonly List<SignalSearch> _searches = [];

    [Fact]
    public async Task Yields_what_is_stored_oldest_first_then_only_signals_not_yet_seen_after_each_interval()
    {
        _stored.AddRange([At(8, "B"), At(4, "A")]);
        await using var watch = Watch().GetAsyncEnumerator();

        Assert.Equal(["A", "B"], await TakeAsync(watch, 2));
        var next = watch.MoveNextAsync();
        Assert.False(next.IsCompleted);

        _stored.Add(At(12, "C"));
        _time.Advance(Interval);

        Assert.True(await next);
        Assert.Equal("C", watch.Current.StrategyId);
    }

    [Fact]
    public async Task A_signal_stored_late_for_an_older_candle_within_the_lookback_is_still_yielded()
    {
        _stored.Add(At(20, "NEW"));
        await using var watch = Watch().GetAsyncEnumerator();
        Assert.Equal(["NEW"], await TakeAsync(watch, 1));
        var next = watch.MoveNextAsync();

        _stored.Add(At(4, "RECOVERED"));
        _time.Advance(Interval);

        Assert.True(await next);
        Assert.Equal("RECOVERED", watch.Current.StrategyId);
        Assert.Equal(Monday.AddHours(20) - Lookback, _searches[^1].From);
    }

    [Fact]
    public async Task A_transient_failure_is_reported_and_ridden_out_until_the_next_poll_succeeds()
    {
        _stored.Add(At(4, "A"));
        var failures = new List<Exception>();
        var failNext = 2;
        Task<IReadOnlyList<Signal>> FlakySearch(SignalSearch search, CancellationToken token) => failNext-- > 0
            ? Task.FromException<IReadOnlyList<Signal>>(new SignalFlowUnavailableException("The signal store is unavailable: MongoConnectionException: timeout"))
            : SearchAsync(search, token);
        await using var watch = new SignalWatcher(FlakySearch, _time, failures.Add).WatchAsync(new SignalSearch(Limit: 50), Interval, Lookback).GetAsyncEnumerator();

        var next = watch.MoveNextAsync();
        Assert.False(next.IsCompleted);
        _time.Advance(Interval);
        Assert.False(next.IsCompleted);
        _time.Advance(Interval);

        Assert.True(await next);
        Assert.Equal("A", watch.Current.StrategyId);
        Assert.Equal(2, failures.Count);
        Assert.All(failures, f => Assert.IsType<SignalFlowUnavailableException>(f));
    }

    [Fact]
    public async Task A_failure_that_is_not_transient_ends_the_watch()
    {
        Task<IReadOnlyList<Signal>> BrokenSearch(SignalSearch search, CancellationToken token) =>
            Task.FromException<IReadOnlyList<Signal>>(new ArgumentOutOfRangeException(nameof(search)));
        await using var watch = new SignalWatcher(BrokenSearch, _time, _ => Assert.Fail("reported as transient")).WatchAsync(new SignalSearch(), Interval, Lookback).GetAsyncEnumerator();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await watch.MoveNextAsync());
    }

    private IAsyncEnumerable<Signal> Watch() =>
        new SignalWatcher(SearchAsync, _time).WatchAsync(new SignalSearch(Limit: 50), Interval, Lookback);

    private Task<IReadOnlyList<Signal>> SearchAsync(SignalSearch search, CancellationToken cancellationToken)
    {
        _searches.Add(search);
        IReadOnlyList<Signal> found = _stored.Where(s => search.From is not { } from || s.Time >= from).OrderByDescending(s => s.Time).Take(search.Limit).ToList();
        return Task.FromResult(found);
    }

    private static async Task<List<string>> TakeAsync(IAsyncEnumerator<Signal> watch, int count)
    {
        var taken = new List<string>();
        while (taken.Count < count && await watch.MoveNextAsync())
        {
            taken.Add(watch.Current.StrategyId);
        }

        return taken;
    }

    /// <summary>A signal of strategy <paramref name="strategy"/> on the candle <paramref name="hours"/> after Monday 00:00.</summary>
    private static Signal At(int hours, string strategy)
    {
        var time = Monday.AddHours(hours);
        var instrument = Instrument.Parse("EUR_USD");
        return new Signal(Signal.CreateId(strategy, instrument, Timeframe.H4, time, SignalDirection.Buy), strategy, instrument, Timeframe.H4, time,
            SignalDirection.Buy, 1.1, 1.09, 1.095, 1.09, 1.12, 100, 200, 0.005, 2, time, null, "ma_crossover", NamedValues.Empty);
    }
}
