using System.Globalization;
using System.Text;
using SignalFlow.Candles;
using SignalFlow.Domain;

namespace SignalFlow.Tests.Candles;

/// <summary>The reader's own number and time parsing gives what the general .NET parsers give, for every form.</summary>
public class CandleCsvParsingTests
{
    private static readonly Instrument EurUsd = Instrument.Parse("EUR_USD");

    private static Candle Row(string row, string newline = "\n", bool byteOrderMark = false)
    {
        var text = $"timestamp,open,high,low,close,volume{newline}{row}{newline}";
        var bytes = (byteOrderMark ? Encoding.UTF8.GetPreamble() : []).Concat(Encoding.UTF8.GetBytes(text)).ToArray();
        return Assert.Single(CandleCsv.Read(new MemoryStream(bytes), EurUsd, Timeframe.H4, "test.csv"));
    }

    [Theory]
    [InlineData("1.06985")]
    [InlineData("158.534")]
    [InlineData("0.000123456789012")]
    [InlineData("1.0698512345678901234")]
    [InlineData("123456789012345.6")]
    [InlineData("1e-3")]
    [InlineData("+1.5")]
    [InlineData("7.")]
    [InlineData(".5")]
    [InlineData("  1.25 ")]
    public void Prices_equal_the_general_parser(string price)
    {
        var candle = Row($"2023-01-01 22:00:00+00:00,{price},{price},{price},{price},3");

        Assert.Equal(double.Parse(price, CultureInfo.InvariantCulture), candle.Open);
        Assert.Equal(candle.Open, candle.Close);
    }

    [Fact]
    public void Random_decimals_equal_the_general_parser_bit_for_bit()
    {
        var random = new Random(11);
        var prices = Enumerable.Range(0, 20_000).Select(_ =>
        {
            var digits = random.NextInt64(1, 999_999_999_999_999).ToString(CultureInfo.InvariantCulture);
            return digits.Insert(random.Next(0, digits.Length), ".");
        }).ToList();
        var csv = "timestamp,open,high,low,close,volume\n" + string.Concat(prices.Select((p, i) =>
            $"{new DateTime(2023, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(4 * i):yyyy-MM-dd HH:mm:ss},{p},{p},{p},{p},3\n"));

        var candles = CandleCsv.Read(new StringReader(csv), EurUsd, Timeframe.H4, "test.csv");

        Assert.Equal(prices.Select(p => double.Parse(p, CultureInfo.InvariantCulture)), candles.Select(c => c.Open));
    }

    [Theory]
    [InlineData("2024-02-29 23:59:59+00:00")]
    [InlineData("2024-02-29T23:59:59Z")]
    [InlineData("2024-02-29 23:59:59")]
    [InlineData("2024-03-01 01:59:59+02:00")]
    [InlineData("2024-02-29T23:59:59.000000000Z")]
    public void Times_equal_the_general_parser(string time)
    {
        Assert.Equal(new DateTime(2024, 2, 29, 23, 59, 59, DateTimeKind.Utc), Row($"{time},1.1,1.2,1.0,1.1,3").Time);
    }

    [Theory]
    [InlineData("2023-02-29 22:00:00+00:00")]
    [InlineData("2023-13-01 22:00:00+00:00")]
    [InlineData("2023-01-01 24:00:00+00:00")]
    public void Impossible_times_are_refused_with_the_line(string time)
    {
        var error = Assert.Throws<CandleCsvException>(() => Row($"{time},1.1,1.2,1.0,1.1,3"));

        Assert.StartsWith($"test.csv:2: timestamp '{time}' is not a date and time", error.Message);
    }

    [Fact]
    public void Crlf_line_ends_a_byte_order_mark_blank_lines_and_a_missing_last_newline_are_read()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(
            "timestamp,open,high,low,close,volume\r\n2023-01-01 22:00:00+00:00,1.1,1.2,1.0,1.1,3\r\n  \r\n2023-01-02 02:00:00+00:00,1.1,1.2,1.0,1.15,4")).ToArray();

        var candles = CandleCsv.Read(new MemoryStream(bytes), EurUsd, Timeframe.H4, "test.csv");

        Assert.Equal([(1.1, 3L), (1.15, 4L)], candles.Select(c => (c.Close, c.Volume)));
    }

    [Fact]
    public void A_row_with_too_many_fields_is_refused_with_the_count()
    {
        var error = Assert.Throws<CandleCsvException>(() => Row("2023-01-01 22:00:00+00:00,1.1,1.2,1.0,1.1,3,9,9"));

        Assert.Equal("test.csv:2: expected 6 fields, found 8.", error.Message);
    }

    [Fact]
    public void A_line_longer_than_the_read_buffer_is_one_line()
    {
        var lines = new Utf8LineReader(new MemoryStream(Encoding.UTF8.GetBytes($"{new string('x', 100)}\nend")), bufferSize: 16);

        Assert.True(lines.TryRead(out var first));
        Assert.Equal(100, first.Length);
        Assert.True(lines.TryRead(out var last));
        Assert.Equal("end"u8, last);
        Assert.False(lines.TryRead(out _));
    }
}
