using SignalFlow.Domain;
using SignalFlow.Notifications;
using SignalFlow.Signals;
using SignalFlow.Silo.Api;
using SignalFlow.Tests.Notifications;

namespace SignalFlow.Tests.Api;

public sealed class SignalPagerTests
{
    [Fact]
    public async Task Pages_through_many_signals_sharing_a_candle_time_in_id_order_although_the_store_orders_them_otherwise()
    {
        var store = new InMemorySignalStore();
        var instruments = new[] { "EUR_USD", "GBP_USD", "AUD_USD", "NZD_USD", "USD_CAD", "EUR_GBP", "USD_CHF" };
        var signals = Enumerable.Range(0, 3).SelectMany(n => instruments.Select((i, k) => TestSignals.Create(n, i, strategy: $"s{instruments.Length - k}"))).ToList();
        foreach (var signal in signals)
        {
            await store.StoreAsync(signal);
        }

        var pager = new SignalPager(store);
        var seen = new List<string>();
        SignalCursor? cursor = null;
        do
        {
            var page = await pager.PageAsync(new SignalQuery(), _ => true, cursor, 4, CancellationToken.None);
            seen.AddRange(page.Items.Select(s => s.Id));
            cursor = page.Next;
        }
        while (cursor is not null);

        Assert.Equal(SignalCursor.InOrder(signals).Select(s => s.Id), seen);
    }

    [Fact]
    public async Task A_sparse_filter_returns_a_short_page_and_a_cursor_where_the_bounded_scan_stopped()
    {
        var store = new InMemorySignalStore();
        for (var n = 0; n < 50; n++)
        {
            await store.StoreAsync(TestSignals.Create(n, direction: n == 3 ? SignalDirection.Sell : SignalDirection.Buy));
        }

        var pager = new SignalPager(store, maxScan: 20);
        var first = await pager.PageAsync(new SignalQuery(), s => s.Direction == SignalDirection.Sell, null, 5, CancellationToken.None);
        Assert.Empty(first.Items);
        Assert.NotNull(first.Next);

        var second = await pager.PageAsync(new SignalQuery(), s => s.Direction == SignalDirection.Sell, first.Next, 5, CancellationToken.None);
        var third = second.Next is { } next ? await pager.PageAsync(new SignalQuery(), s => s.Direction == SignalDirection.Sell, next, 5, CancellationToken.None) : null;
        Assert.Equal([TestSignals.Create(3, direction: SignalDirection.Sell).Id], second.Items.Concat(third?.Items ?? []).Select(s => s.Id));
    }

    [Theory]
    [InlineData("")]
    [InlineData("!!")]
    [InlineData("MTIz")]
    [InlineData("LTF8YQ")]
    public void A_cursor_the_api_did_not_write_is_refused(string text) => Assert.False(SignalCursor.TryParse(text, out _));

    [Fact]
    public void A_cursor_round_trips()
    {
        var cursor = SignalCursor.Of(TestSignals.Create(7));
        Assert.True(SignalCursor.TryParse(cursor.ToString(), out var parsed));
        Assert.Equal(cursor, parsed);
    }
}

public sealed class RecentSignalsTests
{
    [Fact]
    public void Followers_get_what_came_after_their_position_and_learn_when_it_left_the_window()
    {
        var recent = new RecentSignals(capacity: 3);
        var signals = Enumerable.Range(0, 5).Select(n => TestSignals.Create(n)).ToList();
        recent.Add(signals[0]);
        recent.Add(signals[1]);
        recent.Add(signals[1]);

        Assert.Equal([signals[1].Id], recent.After(signals[0].Id).Signals.Select(s => s.Id));
        Assert.True(recent.After(signals[0].Id).Continuous);
        Assert.Equal(2, recent.After(null).Signals.Count);

        recent.Add(signals[2]);
        recent.Add(signals[3]);
        var lost = recent.After(signals[0].Id);
        Assert.False(lost.Continuous);
        Assert.Equal(signals.Skip(1).Take(3).Select(s => s.Id), lost.Signals.Select(s => s.Id));
    }
}

public sealed class ApiPricesTests
{
    [Theory]
    [InlineData("EUR_USD", 5)]
    [InlineData("USD_JPY", 3)]
    [InlineData("GBP_JPY", 3)]
    public void Prices_keep_one_digit_below_the_pip(string instrument, int decimals) =>
        Assert.Equal(decimals, ApiPrices.Decimals(Instrument.Parse(instrument)));
}

public sealed class SeriesReportTests
{
    private static readonly SeriesKey[] Series = [SeriesKey.Parse("EUR_USD_H4"), SeriesKey.Parse("GBP_JPY_D"), SeriesKey.Parse("AUD_USD_H4")];

    [Fact]
    public async Task A_series_whose_grain_fails_is_named_with_its_error_and_the_others_are_reported()
    {
        var report = await OperationsEndpoints.ReportAsync(Series, key => key.Instrument.Name == "GBP_JPY"
            ? throw new TimeoutException("Response did not arrive on time")
            : Task.FromResult(View(key)), CancellationToken.None);

        Assert.Equal(["AUD_USD_H4", "EUR_USD_H4"], report.Series.Select(s => s.Series));
        var failure = Assert.Single(report.Failed);
        Assert.Equal("GBP_JPY_D", failure.Series);
        Assert.Contains("TimeoutException: Response did not arrive on time", failure.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_every_series_fails_the_report_is_unavailable()
    {
        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(() =>
            OperationsEndpoints.ReportAsync(Series, _ => throw new TimeoutException("down"), CancellationToken.None));

        Assert.Contains("strategy grains", error.Message, StringComparison.Ordinal);
    }

    private static SeriesView View(SeriesKey key) => new(key.ToString(), key.Instrument.Name, key.Timeframe.Code, false, null, 0, 0, "S127.0.0.1:11111:1", [], SignalFlow.Quality.MarketContext.Unknown);
}
