using System.Text;
using SignalFlow.Candles;
using SignalFlow.Domain;
using SignalFlow.Oanda;

namespace SignalFlow.Tests.Oanda;

public class PricingLineParserTests
{
    [Fact]
    public void Parses_a_price_with_nanoseconds_and_decimal_strings()
    {
        var line = """{"type":"PRICE","instrument":"EUR_USD","time":"2016-10-27T08:38:43.094548890Z","tradeable":true,"status":"tradeable","bids":[{"price":"1.09123","liquidity":10000000},{"price":"1.09120","liquidity":50000000}],"asks":[{"price":"1.09135","liquidity":10000000},{"price":"1.09140","liquidity":50000000}],"closeoutBid":"1.09118","closeoutAsk":"1.09140"}""";

        var price = Assert.IsType<PricingLine.Price>(Parse(line));

        Assert.Equal(Instrument.Parse("EUR_USD"), price.Tick.Instrument);
        Assert.Equal(new DateTime(2016, 10, 27, 8, 38, 43, DateTimeKind.Utc).AddTicks(945488), price.Tick.Time);
        Assert.Equal(DateTimeKind.Utc, price.Tick.Time.Kind);
        Assert.Equal(1.09123m, price.Tick.Bid);
        Assert.Equal(1.09135m, price.Tick.Ask);
        Assert.Equal(1.09129m, price.Tick.Mid);
    }

    [Fact]
    public void Parses_a_heartbeat()
    {
        var heartbeat = Assert.IsType<PricingLine.Heartbeat>(Parse("""{"type":"HEARTBEAT","time":"2023-03-10T18:00:05.000000000Z"}"""));

        Assert.Equal(new DateTime(2023, 3, 10, 18, 0, 5, DateTimeKind.Utc), heartbeat.Time);
    }

    [Theory]
    [InlineData("""{"type":"PRICE","instrument":"EUR_USD","time":"2023-03-10T18:00:00Z","tradeable":false,"bids":[{"price":"1.1"}],"asks":[{"price":"1.2"}]}""", PricingLineRejection.NonTradeable)]
    [InlineData("""{"type":"PRICE","instrument":"EUR_USD","time":"2023-03-10T18:00:00Z","tradeable":true,"bids":[{"price":"1.3"}],"asks":[{"price":"1.2"}]}""", PricingLineRejection.Crossed)]
    [InlineData("""{"type":"PRICE","instrument":"EUR_USD","time":"2023-03-10T18:00:00Z","tradeable":true,"bids":[{"price":"0"}],"asks":[{"price":"1.2"}]}""", PricingLineRejection.NonPositive)]
    [InlineData("""{"type":"PRICE","instrument":"EUR_USD","time":"2023-03-10T18:00:00Z","tradeable":true,"bids":[{"price":"-1.1"}],"asks":[{"price":"-1.0"}]}""", PricingLineRejection.NonPositive)]
    [InlineData("""{"type":"PRICE","instrument":"EUR_USD","time":"2023-03-10T18:00:00Z","tradeable":true,"bids":[{"price":"1.1e3"}],"asks":[{"price":"1.2"}]}""", PricingLineRejection.UnparsablePrice)]
    [InlineData("""{"type":"PRICE","instrument":"EUR_USD","time":"2023-03-10T18:00:00Z","tradeable":true,"bids":[{"price":1.1}],"asks":[{"price":"1.2"}]}""", PricingLineRejection.UnparsablePrice)]
    [InlineData("""{"type":"PRICE","instrument":"EUR_USD","time":"2023-03-10T18:00:00Z","tradeable":true,"bids":[],"asks":[{"price":"1.2"}]}""", PricingLineRejection.UnparsablePrice)]
    [InlineData("""{"type":"PRICE","instrument":"EUR_USD","time":"yesterday","tradeable":true,"bids":[{"price":"1.1"}],"asks":[{"price":"1.2"}]}""", PricingLineRejection.UnparsableTime)]
    [InlineData("""{"type":"PRICE","instrument":"EUR/USD","time":"2023-03-10T18:00:00Z","tradeable":true,"bids":[{"price":"1.1"}],"asks":[{"price":"1.2"}]}""", PricingLineRejection.UnknownInstrument)]
    [InlineData("""{"type":"PRICE","instrument":"EUR_USD","time":"2023-03-10T18:00:00Z","bids":[{"price":"1.1"}],"asks":[{"price":"1.2"}]}""", PricingLineRejection.Malformed)]
    [InlineData("""{"type":"PRICE","instrument":"EUR_USD","time":"2023-03-10T18:""", PricingLineRejection.Malformed)]
    [InlineData("not json", PricingLineRejection.Malformed)]
    [InlineData("[1,2]", PricingLineRejection.Malformed)]
    [InlineData("""{"type":"HEARTBEAT"}""", PricingLineRejection.UnparsableTime)]
    [InlineData("""{"type":"MYSTERY","time":"2023-03-10T18:00:00Z"}""", PricingLineRejection.UnknownType)]
    [InlineData("""{"type":"HEARTBEAT","time":"2023-03-10T18:00:00Z"} {}""", PricingLineRejection.Malformed)]
    [InlineData("""{"type":"HEARTBEAT","time":"2023-03-10T18:00:00Z","extra":[1,}""", PricingLineRejection.Malformed)]
    [InlineData("""{"type":"PRICE","instrument":"EUR_USD","time":"2023-03-10T18:00:00Z","tradeable":true,"bids":[{"price":"1.1"},2],"asks":[{"price":"1.2"}]}""", PricingLineRejection.UnparsablePrice)]
    [InlineData("""{"type":"PRICE","instrument":"EUR_USD","time":"2023-03-10T18:00:00Z","tradeable":true,"bids":[{"liquidity":1}],"asks":[{"price":"1.2"}]}""", PricingLineRejection.UnparsablePrice)]
    [InlineData("""{"type":"PRICE","instrument":"EUR_USD","time":"2023-03-10T18:00:00Z","tradeable":"yes","bids":[{"price":"1.1"}],"asks":[{"price":"1.2"}]}""", PricingLineRejection.Malformed)]
    [InlineData("", PricingLineRejection.Malformed)]
    public void Rejects_unusable_lines_with_a_reason(string line, string reason)
    {
        var rejected = Assert.IsType<PricingLine.Rejected>(Parse(line));

        Assert.Equal(reason, rejected.Reason);
        Assert.False(string.IsNullOrWhiteSpace(rejected.Detail));
    }

    [Fact]
    public void Reads_escaped_strings_skips_unknown_nested_values_and_takes_the_last_of_a_repeated_property()
    {
        var line = """{"type":"PRI\u0043E","extra":{"deep":[1,{"x":"y"}]},"instrument":"GBP_JPY","instrument":"EUR_USD","time":"2023-03-10T18:00:01.5\u005A","tradeable":false,"tradeable":true,"bids":[{"price":"1.0\u0039","liquidity":1}],"asks":[{"price":"9","price":"1.2"}]}""";

        var price = Assert.IsType<PricingLine.Price>(Parse(line));

        Assert.Equal(new PriceTick(Instrument.Parse("EUR_USD"), new DateTime(2023, 3, 10, 18, 0, 1, 500, DateTimeKind.Utc), 1.09m, 1.2m), price.Tick);
    }

    [Theory]
    [InlineData("2023-03-10T18:00:01Z")]
    [InlineData("2023-03-10T18:00:01.5Z")]
    [InlineData("2023-03-10T18:00:01.1234567Z")]
    [InlineData("2023-03-10T18:00:01.123456789Z")]
    [InlineData("2024-02-29T23:59:59.999999999Z")]
    [InlineData("2023-02-29T10:00:00Z")]
    [InlineData("2023-13-01T10:00:00Z")]
    [InlineData("2023-03-10T24:00:00Z")]
    [InlineData("2023-03-10T18:00:01.Z")]
    [InlineData("2023-03-10T18:00:01.12a4Z")]
    [InlineData("2023-03-10T18:00:01+02:00")]
    [InlineData("2023-03-10t18:00:01z")]
    [InlineData("2023-03-10 18:00:01Z")]
    [InlineData("yesterday")]
    public void Reads_times_from_bytes_exactly_as_the_general_parse_does(string text)
    {
        var general = Rfc3339.TryParseUtc(text, out var expected);

        Assert.Equal(general, Rfc3339.TryParseUtc(Encoding.UTF8.GetBytes(text), out var actual));
        Assert.Equal(expected, actual);
        Assert.Equal(expected.Kind, actual.Kind);
    }

    private static PricingLine Parse(string line) => PricingLineParser.Parse(Encoding.UTF8.GetBytes(line));
}
