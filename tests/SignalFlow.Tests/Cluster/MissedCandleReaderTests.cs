using SignalFlow.Candles;
using SignalFlow.Domain;
using SignalFlow.Strategies;

namespace SignalFlow.Tests.Cluster;

public sealed class MissedCandleReaderTests
{
    private static readonly SeriesKey Series = SeriesKey.Parse("EUR_USD_H4");
    private static readonly DateTime Start = new(2024, 3, 4, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Reads_every_stored_candle_strictly_between_the_bounds_across_pages_oldest_first()
    {
        var store = new InMemoryCandleStore();
        var candles = Enumerable.Range(0, (2 * MissedCandleReader.PageSize) + 7).Select(At).ToList();
        await store.StoreAsync(candles);

        var read = new List<Candle>();
        await foreach (var candle in new MissedCandleReader(store).ReadAsync(Series, candles[0].Time, candles[^1].Time))
        {
            read.Add(candle);
        }

        Assert.Equal(candles.Skip(1).SkipLast(1), read);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(13, true)]
    public void Candles_may_be_missing_only_when_the_next_one_is_more_than_one_period_later(int periodsLater, bool mayHaveMissed)
    {
        Assert.Equal(mayHaveMissed, MissedCandleReader.MayHaveMissed(Start, At(periodsLater)));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(-1, false)]
    [InlineData(1, true)]
    public void With_the_previous_stored_candle_known_candles_may_be_missing_only_when_the_grain_is_behind_it(int previousAfterLast, bool mayHaveMissed)
    {
        // A weekend: the next candle is 13 periods on, but the store holds nothing after the previous one.
        Assert.Equal(mayHaveMissed, MissedCandleReader.MayHaveMissed(At(5).Time, At(18), previousStored: At(5 + previousAfterLast).Time));
    }

    private static Candle At(int index) =>
        new(Series.Instrument, Series.Timeframe, Start + (index * Series.Timeframe.Duration), 1.1, 1.11, 1.09, 1.1, 10);
}
