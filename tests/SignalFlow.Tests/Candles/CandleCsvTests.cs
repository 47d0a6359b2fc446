using SignalFlow.Candles;
using SignalFlow.Domain;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Candles;

public class CandleCsvTests
{
    private static readonly Instrument EurUsd = Instrument.Parse("EUR_USD");

    private static IReadOnlyList<Candle> Parse(string text) => CandleCsv.Read(new StringReader(text), EurUsd, Timeframe.H4, "test.csv");

    [Fact]
    public void Reads_the_bundled_oanda_samples_in_utc()
    {
        var candles = SampleData.Candles(SeriesKey.Parse("EUR_USD_H4"));
        var first = candles[0];

        Assert.True(candles.Count > 3000);
        Assert.Equal(new DateTime(2023, 1, 1, 22, 0, 0, DateTimeKind.Utc), first.Time);
        Assert.Equal(DateTimeKind.Utc, first.Time.Kind);
        Assert.Equal((1.06999, 1.0709, 1.06937, 1.06985, 174L), (first.Open, first.High, first.Low, first.Close, first.Volume));
    }

    [Theory]
    [InlineData("2023-01-01T22:00:00Z")]
    [InlineData("2023-01-01T22:00:00.000000000Z")]
    [InlineData("2023-01-01 17:00:00-05:00")]
    [InlineData("2023-01-01 22:00:00")]
    public void Accepts_iso_and_rfc3339_timestamps(string timestamp)
    {
        var candle = Assert.Single(Parse($"timestamp,open,high,low,close,volume\n{timestamp},1.1,1.2,1.0,1.15,10\n"));
        Assert.Equal(new DateTime(2023, 1, 1, 22, 0, 0, DateTimeKind.Utc), candle.Time);
    }

    [Theory]
    [InlineData("2023-01-02 02:00:00+00:00,1.1,1.2,1.0,abc,10", "test.csv:3: close 'abc' is not a number")]
    [InlineData("2023-01-02 02:00:00+00:00,1.1,1.2,1.0,1.1", "test.csv:3: expected 6 fields, found 5")]
    [InlineData("yesterday,1.1,1.2,1.0,1.1,10", "test.csv:3: timestamp 'yesterday'")]
    [InlineData("2023-01-02 02:00:00+00:00,1.1,1.0,1.2,1.1,10", "test.csv:3: high 1 is below low 1.2")]
    [InlineData("2023-01-02 02:00:00+00:00,1.1,1.2,1.0,1.1,-3", "test.csv:3: volume '-3'")]
    public void A_malformed_row_is_reported_with_its_line_number(string row, string expected)
    {
        var error = Assert.Throws<CandleCsvException>(() => Parse($"timestamp,open,high,low,close,volume\n2023-01-01 22:00:00+00:00,1.1,1.2,1.0,1.15,10\n{row}\n"));
        Assert.StartsWith(expected, error.Message);
    }

    [Fact]
    public void A_header_without_the_required_columns_is_refused()
    {
        var error = Assert.Throws<CandleCsvException>(() => Parse("time,o,h,l,c,v\n"));
        Assert.Contains("lacks column(s) timestamp, open, high, low, close, volume", error.Message);
    }

    [Theory]
    [InlineData("EUR_USD_H4_2023-2024.csv", "EUR_USD_H4")]
    [InlineData("/data/GBP_JPY_D.csv", "GBP_JPY_D")]
    [InlineData("SPX500_USD_M15_x.csv", "SPX500_USD_M15")]
    public void The_series_is_inferred_from_the_file_name(string path, string series)
    {
        Assert.Equal(SeriesKey.Parse(series), CandleCsv.SeriesFromFileName(path));
    }

    [Fact]
    public void A_file_name_without_a_series_gives_none()
    {
        Assert.Null(CandleCsv.SeriesFromFileName("candles.csv"));
    }
}
