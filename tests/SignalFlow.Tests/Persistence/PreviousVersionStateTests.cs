using Microsoft.Extensions.DependencyInjection;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using Orleans.Serialization;
using Orleans.Storage;
using SignalFlow.Domain;
using SignalFlow.Notifications;
using SignalFlow.Persistence;
using SignalFlow.Persistence.Mongo;
using SignalFlow.Strategies;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Persistence;

/// <summary>
/// Grain state written by the version before strategy kinds (files in PreviousVersion/, written by that version's
/// code: Orleans' binary form as memory and Redis storage held it, and the BSON document MongoDB storage held) still
/// loads, and a strategy resumed from it continues bit for bit.
/// </summary>
public sealed class PreviousVersionStateTests(PipelineCluster pipeline) : IClassFixture<PipelineCluster>
{
    private const int CandlesBeforeUpgrade = 1500;
    private static readonly SeriesKey Series = SeriesKey.Parse("EUR_USD_H4");

    private static readonly GrainStateJsonSerializer Serializer = new(new OrleansGrainStorageSerializer(
        new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>()));

    public static TheoryData<string> Formats => ["orleans.bin", "mongo.bson"];

    private static T Read<T>(string name, string format) where T : class
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Persistence", "PreviousVersion", $"{name}.{format}"));
        return format == "mongo.bson"
            ? BsonStateSerializer.Deserialize<T>(BsonSerializer.Deserialize<BsonDocument>(bytes)["state"])!
            : Serializer.Deserialize<T>(new BinaryData(bytes));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void An_ma_crossover_state_of_the_previous_version_resumes_bit_for_bit(string format)
    {
        var state = Read<StrategySeriesState>("strategy-EUR_USD_H4-1500", format);
        var settings = SampleData.LegacyStrategies.Single(s => s.Id == "EUR_USD_H4");
        var candles = SampleData.Candles(Series);

        Assert.Equal((candles[CandlesBeforeUpgrade - 1].Time, 1500L, 1L), (state.LastCandleTime, state.CandlesProcessed, state.StaleCandlesIgnored));
        var resumed = new MovingAverageCrossover(settings, TimeProvider.System);
        var migrated = state.LegacyStrategies[settings.Id].Migrate(settings, resumed);
        Assert.NotNull(migrated);
        Assert.True(resumed.TryRestore(migrated, out var problem), problem);

        var uninterrupted = new MovingAverageCrossover(settings, TimeProvider.System);
        var expected = candles.Select(uninterrupted.Update).ToList().Skip(CandlesBeforeUpgrade).OfType<Signal>().Select(s => s with { CreatedAt = default }).ToList();
        var actual = candles.Skip(CandlesBeforeUpgrade).Select(resumed.Update).OfType<Signal>().Select(s => s with { CreatedAt = default }).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
        Assert.Equal(uninterrupted.Snapshot().Indicators.Keys, resumed.Snapshot().Indicators.Keys);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_previous_version_state_of_other_windows_is_not_migrated(string format)
    {
        var state = Read<StrategySeriesState>("strategy-EUR_USD_H4-1500", format);
        var changed = TestStrategies.MaCrossover("EUR_USD_H4", Series.Instrument, Series.Timeframe, fast: 40, slow: 141, atr: 14, sl: 2, tp: 3, minAtr: 0, minRr: 0);

        Assert.Null(state.LegacyStrategies["EUR_USD_H4"].Migrate(changed, new MovingAverageCrossover(changed, TimeProvider.System)));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_previous_version_outbox_keeps_its_pending_signal_and_dead_letter(string format)
    {
        var outbox = Read<NotificationOutboxState>("outbox", format);
        var channel = outbox.Channels["discord"];
        channel.MigratePreKindsSignals();

        var pending = Assert.Single(channel.Pending);
        Assert.NotNull(pending.Signal);
        Assert.Equal(("EUR_USD_H4:EUR_USD:H4:20240308T220000Z:BUY", 2), (pending.Signal.Id, pending.Attempts));
        Assert.Equal((1.09123, 1.08765, 1.08999, 0.7), (pending.Signal.Close, pending.Signal.SlowMa, pending.Signal.FastMa, pending.Signal.Confidence));
        Assert.Equal(("ma_crossover", NamedValues.Of(("fast_ma", 1.08999), ("slow_ma", 1.08765))), (pending.Signal.Kind, pending.Signal.Indicators));
        Assert.Equal(DateTimeKind.Utc, pending.Signal.Time.Kind);
        var letter = Assert.Single(channel.DeadLetters);
        Assert.NotNull(letter.Signal);
        Assert.Equal((SignalDirection.Sell, "400 Bad Request", (double?)null), (letter.Signal.Direction, letter.Reason, letter.Signal.Confidence));
        Assert.Equal(["older"], channel.SettledIds);
        Assert.Equal(5L, channel.DeliveredCount);

        // Written back in today's form, it reads the same.
        var rewritten = Serializer.Deserialize<NotificationOutboxState>(Serializer.Serialize(outbox)).Channels["discord"];
        Assert.Equal(pending.Signal, rewritten.Pending.Single().Signal);
        Assert.Equal(letter.Signal, rewritten.DeadLetters.Single().Signal);
    }

    [Fact]
    public async Task A_strategy_grain_upgraded_in_place_continues_the_series_without_a_gap_or_a_repeat()
    {
        var grain = pipeline.StrategyGrain(Series);
        var storage = pipeline.SiloServices.GetRequiredKeyedService<IGrainStorage>(StorageNames.GrainState);
        await storage.WriteStateAsync(StorageNames.StrategyState, grain.GetGrainId(),
            new GrainState<StrategySeriesState>(Read<StrategySeriesState>("strategy-EUR_USD_H4-1500", "orleans.bin")));

        var candles = SampleData.Candles(Series);
        await pipeline.ReplayAsync(Series, candles.Skip(CandlesBeforeUpgrade).ToList());

        var status = await grain.GetStatusAsync();
        Assert.Equal(candles.Count, status.CandlesProcessed);
        var legacy = status.Strategies.Single(s => s.StrategyId == "EUR_USD_H4");
        Assert.Equal(candles.Count, legacy.CandlesSeen);
        var settings = SampleData.LegacyStrategies.Single(s => s.Id == "EUR_USD_H4");
        var expected = LegacyBatchStrategy.Compute(candles, settings).Where(s => s.Time > candles[CandlesBeforeUpgrade - 1].Time).ToList();
        Assert.NotEmpty(expected);
        LegacyBatchStrategy.AssertEquivalent(expected, await pipeline.Store.SignalsOfAsync(settings.Id));
    }
}
