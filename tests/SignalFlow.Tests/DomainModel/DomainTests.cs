using SignalFlow.Domain;

namespace SignalFlow.Tests.DomainModel;

public class DomainTests
{
    [Theory]
    [InlineData("EUR_USD", "EUR", "USD", 10000)]
    [InlineData("GBP_JPY", "GBP", "JPY", 100)]
    [InlineData("SPX500_USD", "SPX500", "USD", 10000)]
    public void Instruments_parse_in_oanda_form(string name, string baseCurrency, string quote, double pipMultiplier)
    {
        var instrument = Instrument.Parse(name);
        Assert.Equal((name, baseCurrency, quote, pipMultiplier), (instrument.Name, instrument.BaseCurrency, instrument.QuoteCurrency, instrument.PipMultiplier));
    }

    [Theory]
    [InlineData("EUR/USD")]
    [InlineData("eur_usd")]
    [InlineData("EURUSD")]
    [InlineData("")]
    [InlineData(null)]
    public void Other_instrument_forms_are_refused(string? name)
    {
        Assert.False(Instrument.TryParse(name, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Timeframes_know_their_length_and_refuse_unknown_codes()
    {
        Assert.Equal(TimeSpan.FromHours(4), Timeframe.Parse("H4").Duration);
        Assert.Equal(TimeSpan.FromDays(1), Timeframe.D.Duration);
        Assert.Equal(TimeSpan.FromMinutes(15), Timeframe.Parse("M15").Duration);
        Assert.Throws<FormatException>(() => Timeframe.Parse("W"));
        Assert.Throws<FormatException>(() => Timeframe.Parse("h4"));
    }

    [Fact]
    public void Series_keys_round_trip_through_their_legacy_collection_name()
    {
        var series = SeriesKey.Parse("SPX500_USD_M15");
        Assert.Equal(new SeriesKey(Instrument.Parse("SPX500_USD"), Timeframe.M15), series);
        Assert.Equal("SPX500_USD_M15", series.ToString());
        Assert.False(SeriesKey.TryParse("EUR_USD", out _, out _));
    }

    [Fact]
    public void Signal_ids_are_a_pure_function_of_strategy_series_time_and_direction()
    {
        var time = new DateTime(2024, 3, 10, 21, 0, 0, DateTimeKind.Utc);
        var id = Signal.CreateId("EUR_USD_H4", Instrument.Parse("EUR_USD"), Timeframe.H4, time, SignalDirection.Sell);

        Assert.Equal("EUR_USD_H4:EUR_USD:H4:20240310T210000Z:SELL", id);
        Assert.Equal(id, Signal.CreateId("EUR_USD_H4", Instrument.Parse("EUR_USD"), Timeframe.H4, time, SignalDirection.Sell));
        Assert.NotEqual(id, Signal.CreateId("EUR_USD_H4", Instrument.Parse("EUR_USD"), Timeframe.H4, time, SignalDirection.Buy));
    }
}
