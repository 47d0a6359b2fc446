using System.Text.Json;
using Orleans.Storage;
using SignalFlow.Domain;
using SignalFlow.Ingestion;
using SignalFlow.Persistence;
using SignalFlow.Strategies;

namespace SignalFlow.Tests.Persistence;

/// <summary>
/// What every grain-storage provider SignalFlow can run on must do, run against each provider by a derived class.
/// Tests are skippable so a provider without a server here shows up as skipped, by name.
/// </summary>
public abstract class GrainStorageConformanceTests
{
    protected const string StateName = "strategy";

    /// <summary>The provider under test; skips the test when its server is not configured.</summary>
    protected abstract IGrainStorage Storage { get; }

    [SkippableFact]
    public async Task Reading_an_unknown_grain_gives_default_state_and_no_record()
    {
        var state = new GrainState<StrategySeriesState>(new StrategySeriesState());

        await Storage.ReadStateAsync(StateName, NewGrain(), state);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.Null(state.State!.LastCandleTime);
        Assert.Empty(state.State!.StrategyStates);
    }

    [SkippableFact]
    public async Task Written_state_reads_back_with_its_etag()
    {
        var storage = Storage;
        var grain = NewGrain();
        var written = new GrainState<StrategySeriesState>(PersistenceSamples.StrategyState());

        await storage.WriteStateAsync(StateName, grain, written);
        var read = await ReadAsync(storage, grain);

        Assert.True(written.RecordExists);
        Assert.NotNull(written.ETag);
        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(Json(written.State), Json(read.State));
    }

    [SkippableFact]
    public async Task Each_write_changes_the_etag_and_a_stale_etag_is_refused()
    {
        var storage = Storage;
        var grain = NewGrain();
        var state = new GrainState<StrategySeriesState>(PersistenceSamples.StrategyState());
        await storage.WriteStateAsync(StateName, grain, state);
        var firstETag = state.ETag;
        state.State!.CandlesProcessed++;
        await storage.WriteStateAsync(StateName, grain, state);

        Assert.NotEqual(firstETag, state.ETag);
        var stale = new GrainState<StrategySeriesState>(new StrategySeriesState { CandlesProcessed = -1 }) { ETag = firstETag, RecordExists = true };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, grain, stale));
        Assert.Equal(state.State!.CandlesProcessed, (await ReadAsync(storage, grain)).State!.CandlesProcessed);
    }

    [SkippableFact]
    public async Task Inserting_over_an_existing_record_is_refused()
    {
        var storage = Storage;
        var grain = NewGrain();
        await storage.WriteStateAsync(StateName, grain, new GrainState<StrategySeriesState>(PersistenceSamples.StrategyState()));

        var blind = new GrainState<StrategySeriesState>(new StrategySeriesState { CandlesProcessed = -1 });

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, grain, blind));
    }

    [SkippableFact]
    public async Task Clearing_leaves_no_record_and_a_fresh_write_starts_over()
    {
        var storage = Storage;
        var grain = NewGrain();
        var state = new GrainState<StrategySeriesState>(PersistenceSamples.StrategyState());
        await storage.WriteStateAsync(StateName, grain, state);

        await storage.ClearStateAsync(StateName, grain, state);
        var afterClear = await ReadAsync(storage, grain);

        Assert.False(state.RecordExists);
        Assert.False(afterClear.RecordExists);
        Assert.Null(afterClear.State!.LastCandleTime);
        var fresh = new GrainState<StrategySeriesState>(new StrategySeriesState { CandlesProcessed = 7 });
        await storage.WriteStateAsync(StateName, grain, fresh);
        Assert.Equal(7, (await ReadAsync(storage, grain)).State!.CandlesProcessed);
    }

    [SkippableFact]
    public async Task The_cleared_grain_keeps_working_with_the_etag_the_clear_left()
    {
        var storage = Storage;
        var grain = NewGrain();
        var state = new GrainState<StrategySeriesState>(PersistenceSamples.StrategyState());
        await storage.WriteStateAsync(StateName, grain, state);
        await storage.ClearStateAsync(StateName, grain, state);

        state.State = new StrategySeriesState { CandlesProcessed = 9 };
        await storage.WriteStateAsync(StateName, grain, state);

        Assert.Equal(9, (await ReadAsync(storage, grain)).State!.CandlesProcessed);
    }

    [SkippableFact]
    public async Task Writing_with_the_etag_from_before_a_clear_is_refused()
    {
        var storage = Storage;
        var grain = NewGrain();
        var state = new GrainState<StrategySeriesState>(PersistenceSamples.StrategyState());
        await storage.WriteStateAsync(StateName, grain, state);
        var beforeClear = state.ETag;
        var other = await ReadAsync(storage, grain);
        await storage.ClearStateAsync(StateName, grain, other);

        var stale = new GrainState<StrategySeriesState>(new StrategySeriesState()) { ETag = beforeClear, RecordExists = true };

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, grain, stale));
    }

    [SkippableFact]
    public async Task Clearing_with_a_stale_etag_is_refused_and_keeps_the_record()
    {
        var storage = Storage;
        var grain = NewGrain();
        var state = new GrainState<StrategySeriesState>(PersistenceSamples.StrategyState());
        await storage.WriteStateAsync(StateName, grain, state);
        var staleETag = state.ETag;
        await storage.WriteStateAsync(StateName, grain, state);

        var stale = new GrainState<StrategySeriesState>(new StrategySeriesState()) { ETag = staleETag, RecordExists = true };

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, grain, stale));
        Assert.True((await ReadAsync(storage, grain)).RecordExists);
    }

    [SkippableFact]
    public async Task Of_concurrent_writers_with_the_same_etag_exactly_one_wins()
    {
        var storage = Storage;
        var grain = NewGrain();
        var initial = new GrainState<StrategySeriesState>(new StrategySeriesState());
        await storage.WriteStateAsync(StateName, grain, initial);
        const int writers = 8;

        var outcomes = await Task.WhenAll(Enumerable.Range(1, writers).Select(async n =>
        {
            var mine = new GrainState<StrategySeriesState>(new StrategySeriesState { CandlesProcessed = n }) { ETag = initial.ETag, RecordExists = true };
            try
            {
                await storage.WriteStateAsync(StateName, grain, mine);
                return n;
            }
            catch (InconsistentStateException)
            {
                return 0;
            }
        }));

        var winner = Assert.Single(outcomes, n => n != 0);
        Assert.Equal(winner, (await ReadAsync(storage, grain)).State!.CandlesProcessed);
    }

    [SkippableFact]
    public async Task Large_state_round_trips()
    {
        var storage = Storage;
        var grain = NewGrain();
        var large = new StrategySeriesState { CandlesProcessed = 1 };
        for (var i = 0; i < 200; i++)
        {
            large.LegacyStrategies[$"strategy.{i}"] = new MovingAverageCrossoverState
            {
                IndicatorShape = $"fast={i},slow={i * 2}",
                Closes = Enumerable.Range(0, 1000).Select(k => 1.0 + k * 1e-5 + i).ToArray(),
                TrueRanges = Enumerable.Range(0, 50).Select(k => k * 1e-4).ToArray(),
                PreviousFast = i % 2 == 0 ? null : i,
            };
        }

        await storage.WriteStateAsync(StateName, grain, new GrainState<StrategySeriesState>(large));
        var read = await ReadAsync(storage, grain);

        Assert.Equal(Json(large), Json(read.State));
    }

    [SkippableFact]
    public async Task Domain_values_inside_state_round_trip_intact()
    {
        // Instrument and Timeframe keep their value in a private field; a serializer that only sees public
        // setters would bring back empty ones and the ingestion gate would then refuse the pending candles.
        var storage = Storage;
        var grain = NewGrain();
        var candle = new Candle(Instrument.Parse("GBP_JPY"), Timeframe.H4, new DateTime(2024, 3, 10, 21, 0, 0, DateTimeKind.Utc), 190.1, 190.5, 189.9, 190.2, 4321);
        var written = new GrainState<CandleIngestionState>(new CandleIngestionState());
        written.State!.Ticks.PendingClosed.Add(candle);

        await storage.WriteStateAsync("ingestion", grain, written);
        var read = new GrainState<CandleIngestionState>(new CandleIngestionState());
        await storage.ReadStateAsync("ingestion", grain, read);

        Assert.Equal(candle, Assert.Single(read.State!.Ticks.PendingClosed));
    }

    protected static GrainId NewGrain() => GrainId.Create("conformance", Guid.NewGuid().ToString("N"));

    protected static async Task<GrainState<StrategySeriesState>> ReadAsync(IGrainStorage storage, GrainId grain)
    {
        var state = new GrainState<StrategySeriesState>(new StrategySeriesState());
        await storage.ReadStateAsync(StateName, grain, state);
        return state;
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, PersistenceJson.Options);
}
