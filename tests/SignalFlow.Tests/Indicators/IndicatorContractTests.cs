using System.Text.Json;
using System.Text.Json.Serialization;
using SignalFlow.Domain;
using SignalFlow.Indicators;
using SignalFlow.Tests.Support;

namespace SignalFlow.Tests.Indicators;

/// <summary>
/// What every indicator must do, in the manner of Lean's <c>CommonIndicatorTests&lt;T&gt;</c>: equal an independent batch
/// computation on every bundled series, be undefined before exactly its warm-up and defined from it, return to its
/// initial state on <see cref="IIndicator.Reset"/>, and continue bit for bit from a snapshot restored mid-series,
/// also after the snapshot went through JSON. Each indicator's test class inherits these tests and says what the
/// indicator is: how to build it, what it reads from a candle, its warm-up by the definition, and its lines.
/// </summary>
public abstract class IndicatorContractTests<TIndicator, TInput>
    where TIndicator : IIndicator<TInput>
{
    /// <summary>NaN must survive the JSON round trip (a value not yet defined is part of the state).</summary>
    private static readonly JsonSerializerOptions StateJson = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    protected abstract TIndicator Create();

    protected abstract TInput InputOf(Candle candle);

    /// <summary>Inputs seen before the first value, written from the definition (not read from the indicator).</summary>
    protected abstract int ExpectedWarmUp { get; }

    /// <summary>
    /// The indicator's lines: for most indicators <see cref="IIndicator.Current"/> alone; MACD and Donchian have more.
    /// </summary>
    protected abstract IReadOnlyList<Line> Lines { get; }

    /// <summary>Largest relative difference allowed from the batch computation: 0 (bit for bit) unless the indicator keeps a running sum.</summary>
    protected virtual double Tolerance => 0;

    /// <param name="Name">The line's name in failures.</param>
    /// <param name="Value">Reads the line from the indicator.</param>
    /// <param name="Batch">Computes the line over a whole series.</param>
    /// <param name="ExistsFrom">The first candle t at which the definition gives the line a value.</param>
    public sealed record Line(string Name, Func<TIndicator, double> Value, Func<IReadOnlyList<Candle>, double[]> Batch, int ExistsFrom);

    public static TheoryData<string> BundledSeries => [.. SampleData.Series.Select(s => s.ToString())];

    [Theory]
    [MemberData(nameof(BundledSeries))]
    public void Equals_an_independent_batch_computation_on_every_bundled_series(string series)
    {
        var candles = SampleData.Candles(SeriesKey.Parse(series));
        var indicator = Create();
        var lines = Lines;
        var expected = lines.Select(line => line.Batch(candles)).ToList();
        for (var t = 0; t < candles.Count; t++)
        {
            indicator.Update(InputOf(candles[t]));
            for (var l = 0; l < lines.Count; l++)
            {
                var line = lines[l];
                var want = expected[l][t];
                var got = line.Value(indicator);
                if (double.IsNaN(want) != t < line.ExistsFrom)
                {
                    Assert.Fail($"the batch {line.Name} at t = {t} contradicts the definition: {want:R}");
                }

                if (double.IsNaN(got) != double.IsNaN(want) || !Close(want, got))
                {
                    Assert.Fail($"{series} {line.Name} at t = {t}: expected {want:R}, got {got:R}");
                }
            }
        }
    }

    [Fact]
    public void Is_not_ready_and_NaN_before_its_warm_up_and_ready_from_it()
    {
        var candles = FirstSeries();
        var indicator = Create();
        Assert.Equal(ExpectedWarmUp, indicator.WarmUpPeriod);
        Assert.False(indicator.IsReady);
        Assert.True(double.IsNaN(indicator.Current));
        for (var t = 0; t < ExpectedWarmUp + 3; t++)
        {
            indicator.Update(InputOf(candles[t]));
            var seen = t + 1;
            Assert.Equal(seen, indicator.Samples);
            Assert.Equal(seen >= ExpectedWarmUp, indicator.IsReady);
            Assert.Equal(seen < ExpectedWarmUp, double.IsNaN(indicator.Current));
            foreach (var line in Lines)
            {
                Assert.True(double.IsNaN(line.Value(indicator)) == t < line.ExistsFrom, $"{line.Name} at t = {t}: {line.Value(indicator):R}");
            }
        }
    }

    [Fact]
    public void Reset_returns_to_the_initial_state()
    {
        var candles = FirstSeries();
        var fresh = Create();
        var indicator = Create();
        Feed(indicator, candles.Take(ExpectedWarmUp + 50));

        indicator.Reset();

        Assert.Equal(0, indicator.Samples);
        Assert.False(indicator.IsReady);
        Assert.True(double.IsNaN(indicator.Current));
        Assert.Equal(Json(fresh.Snapshot()), Json(indicator.Snapshot()));
        AssertContinueAlike(fresh, indicator, candles);
    }

    /// <summary>Cut before the warm-up, on its last input, on its first value, and well into the series.</summary>
    [Theory]
    [MemberData(nameof(BundledSeries))]
    public void A_snapshot_restored_mid_series_continues_bit_for_bit_also_through_json(string series)
    {
        var candles = SampleData.Candles(SeriesKey.Parse(series));
        foreach (var cut in new[] { 0, 1, ExpectedWarmUp - 1, ExpectedWarmUp, ExpectedWarmUp + 1, candles.Count / 2 })
        {
            var uninterrupted = Create();
            Feed(uninterrupted, candles.Take(cut));
            var snapshot = uninterrupted.Snapshot();

            var restored = Create();
            restored.Restore(snapshot);
            var throughJson = Create();
            throughJson.Restore(JsonSerializer.Deserialize<IndicatorState>(Json(snapshot), StateJson)!);

            Assert.Equal(Json(snapshot), Json(throughJson.Snapshot()));
            var rest = candles.Skip(cut).ToList();
            var copy = Create();
            copy.Restore(snapshot);
            AssertContinueAlike(uninterrupted, restored, rest);
            AssertContinueAlike(copy, throughJson, rest);
        }
    }

    [Fact]
    public void A_state_of_another_shape_is_refused()
    {
        var indicator = Create();
        Feed(indicator, FirstSeries().Take(ExpectedWarmUp + 5));
        var snapshot = indicator.Snapshot();

        var extraValue = Copy(snapshot);
        extraValue.Values = [.. extraValue.Values, 1.0];
        var extraPart = Copy(snapshot);
        extraPart.Parts = [.. extraPart.Parts, new IndicatorState()];
        var negative = Copy(snapshot);
        negative.Samples = -1;

        foreach (var state in new[] { extraValue, extraPart, negative })
        {
            Assert.Throws<InvalidIndicatorStateException>(() => Create().Restore(state));
        }
    }

    /// <summary>For hand-computed cases: the indicator's value after each input, within <paramref name="precision"/> decimals.</summary>
    protected static void AssertValuesAfterEach<T>(IIndicator<T> indicator, IEnumerable<T> inputs, double[] expected, int precision = 15)
    {
        var values = inputs.Select(input =>
        {
            indicator.Update(input);
            return indicator.Current;
        }).ToList();

        Assert.Equal(expected.Length, values.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], values[i], precision);
        }
    }

    protected static IReadOnlyList<Candle> FirstSeries() => SampleData.Candles(SampleData.Series.First());

    private void Feed(TIndicator indicator, IEnumerable<Candle> candles)
    {
        foreach (var candle in candles)
        {
            indicator.Update(InputOf(candle));
        }
    }

    /// <summary>Both indicators take the same inputs and agree on every line bit for bit after each.</summary>
    private void AssertContinueAlike(TIndicator expected, TIndicator actual, IEnumerable<Candle> candles)
    {
        var lines = Lines;
        AssertSame(expected, actual, lines, "before the first input");
        foreach (var candle in candles)
        {
            expected.Update(InputOf(candle));
            actual.Update(InputOf(candle));
            AssertSame(expected, actual, lines, candle.Time);
        }
    }

    /// <param name="when">Formatted only on a failure: this runs for every candle.</param>
    private static void AssertSame(TIndicator expected, TIndicator actual, IReadOnlyList<Line> lines, object when)
    {
        Assert.Equal(expected.Samples, actual.Samples);
        Assert.Equal(expected.IsReady, actual.IsReady);
        var values = lines.Select(line => (line.Name, Expected: line.Value(expected), Actual: line.Value(actual)))
            .Prepend(("current", expected.Current, actual.Current));
        foreach (var (name, want, got) in values)
        {
            if (!SameBits(want, got))
            {
                Assert.Fail($"{name} after {when:O}: expected {want:R}, got {got:R}");
            }
        }
    }

    private static bool SameBits(double expected, double actual) =>
        (double.IsNaN(expected) && double.IsNaN(actual)) || BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual);

    private bool Close(double expected, double actual) =>
        double.IsNaN(expected) || expected == actual || Math.Abs(expected - actual) <= Tolerance * Math.Abs(expected);

    private static string Json(IndicatorState state) => JsonSerializer.Serialize(state, StateJson);

    private static IndicatorState Copy(IndicatorState state) => JsonSerializer.Deserialize<IndicatorState>(Json(state), StateJson)!;
}
