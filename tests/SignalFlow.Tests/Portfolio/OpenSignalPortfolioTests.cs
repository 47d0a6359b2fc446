using SignalFlow.Domain;
using SignalFlow.Portfolio;
using SignalFlow.Tests.Notifications;

namespace SignalFlow.Tests.Portfolio;

public class OpenSignalPortfolioTests
{
    private static readonly DateTime Start = TestSignals.Start;

    private static OpenSignal Open(string instrument, SignalDirection direction, int bar = 0, int bars = 10, string strategy = "s") =>
        OpenSignal.Of(TestSignals.Create(bar, instrument, "H1", strategy: strategy, direction: direction), bars);

    [Fact]
    public void A_buy_is_long_the_base_currency_and_short_the_quote_currency_and_a_sell_the_reverse()
    {
        var buy = Open("EUR_USD", SignalDirection.Buy);
        var sell = Open("USD_JPY", SignalDirection.Sell);

        Assert.Equal(("EUR", "USD"), (buy.LongCurrency, buy.ShortCurrency));
        Assert.Equal(("JPY", "USD"), (sell.LongCurrency, sell.ShortCurrency));
    }

    [Fact]
    public void A_signal_is_open_from_its_candle_close_for_its_bars()
    {
        var signal = TestSignals.Create(0, "EUR_USD", "H4");
        var open = OpenSignal.Of(signal, maxBarsOpen: 3);

        Assert.Equal(signal.Time.AddHours(4), open.OpenedAt);
        Assert.Equal(signal.Time.AddHours(16), open.ClosesAt);
        Assert.False(open.IsOpenAt(open.OpenedAt.AddTicks(-1)));
        Assert.True(open.IsOpenAt(open.OpenedAt));
        Assert.True(open.IsOpenAt(open.ClosesAt.AddTicks(-1)));
        Assert.False(open.IsOpenAt(open.ClosesAt));
    }

    [Fact]
    public void Exposure_counts_each_open_signal_long_one_currency_and_short_the_other()
    {
        var portfolio = new OpenSignalPortfolio();
        portfolio.Add(Open("EUR_USD", SignalDirection.Buy));
        portfolio.Add(Open("GBP_USD", SignalDirection.Buy));
        portfolio.Add(Open("EUR_GBP", SignalDirection.Sell));

        var at = Start.AddHours(2);
        Assert.Equal(
            [new CurrencyExposure("EUR", 1, 1), new CurrencyExposure("GBP", 2, 0), new CurrencyExposure("USD", 0, 2)],
            portfolio.ExposureAt(at));
        Assert.Equal(-2, portfolio.ExposureAt(at).Single(e => e.Currency == "USD").Net);
    }

    [Fact]
    public void Open_signals_at_a_time_leave_out_those_not_yet_opened_and_those_closed()
    {
        var portfolio = new OpenSignalPortfolio();
        var early = Open("EUR_USD", SignalDirection.Buy, bar: 0, bars: 2);
        var late = Open("GBP_USD", SignalDirection.Buy, bar: 5, bars: 2);
        portfolio.Add(early);
        portfolio.Add(late);

        Assert.Equal([early], portfolio.OpenAt(early.OpenedAt));
        Assert.Empty(portfolio.OpenAt(early.ClosesAt));
        Assert.Equal([late], portfolio.OpenAt(late.OpenedAt));
        Assert.Empty(portfolio.OpenAt(late.OpenedAt, excludingId: late.SignalId));
    }

    [Fact]
    public void Adding_an_id_twice_keeps_the_first_and_says_so()
    {
        var portfolio = new OpenSignalPortfolio();
        var signal = Open("EUR_USD", SignalDirection.Buy);

        Assert.True(portfolio.Add(signal));
        Assert.False(portfolio.Add(signal with { ClosesAt = signal.ClosesAt.AddDays(1) }));
        Assert.Equal([signal], portfolio.All);
    }

    [Fact]
    public void A_resolved_signal_is_open_only_before_its_resolution_and_is_pruned_once_the_clock_passes_it()
    {
        var portfolio = new OpenSignalPortfolio();
        var signal = Open("EUR_USD", SignalDirection.Buy, bars: 10);
        portfolio.Add(signal);
        var resolvedAt = signal.OpenedAt.AddHours(3);

        Assert.True(portfolio.Resolve(signal.SignalId, resolvedAt));
        Assert.False(portfolio.Resolve("unknown", resolvedAt));

        Assert.Equal([signal.SignalId], portfolio.OpenAt(resolvedAt.AddTicks(-1)).Select(s => s.SignalId));
        Assert.Empty(portfolio.OpenAt(resolvedAt));
        Assert.Equal(0, portfolio.RemoveClosedBy(resolvedAt.AddTicks(-1)));
        Assert.Equal(1, portfolio.RemoveClosedBy(resolvedAt));
        Assert.Empty(portfolio.All);
    }

    [Fact]
    public void A_limit_of_two_refuses_a_third_signal_long_the_same_currency_and_nothing_else()
    {
        var portfolio = new OpenSignalPortfolio();
        var eurUsd = Open("EUR_USD", SignalDirection.Buy);
        var eurJpy = Open("EUR_JPY", SignalDirection.Buy);
        portfolio.Add(eurUsd);
        portfolio.Add(eurJpy);

        var third = Open("EUR_GBP", SignalDirection.Buy, bar: 1);
        var breach = portfolio.FindBreach(third, maxPerCurrencySide: 2);

        Assert.NotNull(breach);
        Assert.Equal(("EUR", SignalDirection.Buy, 2), (breach.Currency, breach.Side, breach.Limit));
        Assert.Equal([eurJpy.SignalId, eurUsd.SignalId], breach.Open);
        Assert.Contains("already long EUR (limit 2)", breach.Describe(), StringComparison.Ordinal);

        // Short EUR, long GBP: fits; a third limit slot fits too; and the first two expired make room.
        Assert.Null(portfolio.FindBreach(Open("EUR_GBP", SignalDirection.Sell, bar: 1), 2));
        Assert.Null(portfolio.FindBreach(third, 3));
        Assert.Null(portfolio.FindBreach(Open("EUR_GBP", SignalDirection.Buy, bar: 20), 2));
    }

    [Fact]
    public void A_limit_counts_the_short_side_too()
    {
        var portfolio = new OpenSignalPortfolio();
        portfolio.Add(Open("EUR_USD", SignalDirection.Buy));
        portfolio.Add(Open("USD_JPY", SignalDirection.Sell));

        var breach = portfolio.FindBreach(Open("GBP_USD", SignalDirection.Buy, bar: 1), 2);

        Assert.NotNull(breach);
        Assert.Equal(("USD", SignalDirection.Sell), (breach.Currency, breach.Side));
        Assert.Contains("already short USD", breach.Describe(), StringComparison.Ordinal);
    }
}
