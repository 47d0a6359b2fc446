using SignalFlow.Domain;
using SignalFlow.Outcomes;
using SignalFlow.Strategies;

namespace SignalFlow.Backtesting;

/// <summary>
/// Runs every candidate of a <see cref="ParameterGrid"/> over the candles on all cores (each candidate is one
/// <see cref="FastBacktest"/>, single-threaded), with a walk-forward split: signals before the split time are
/// in-sample, the rest out-of-sample, and candidates are ranked on their out-of-sample figures. Each candidate runs over
/// the whole series, so its indicators are warm when the out-of-sample part starts; an in-sample signal still open at
/// the split resolves on the later candles. Ranking: candidates with at least the minimum of closed out-of-sample
/// trades first, then by out-of-sample total R, expectancy, and grid order, so repeated runs give the same order.
/// </summary>
public static class Optimizer
{
    public static OptimizationResult Run(SeriesKey series, IReadOnlyList<Candle> candles, ParameterGrid grid, OptimizationOptions options,
        Action? candidateDone = null, CancellationToken cancellationToken = default)
    {
        if (!(options.InSampleFraction is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.InSampleFraction, "The in-sample fraction must be above 0 and below 1.");
        }

        var splitIndex = (int)(candles.Count * options.InSampleFraction);
        if (splitIndex < 1 || splitIndex >= candles.Count)
        {
            throw new ArgumentException($"{candles.Count} candles cannot be split {options.InSampleFraction:0.##} in-sample.", nameof(candles));
        }

        var split = candles[splitIndex].Time;
        var results = new CandidateResult[grid.Candidates.Count];
        Parallel.For(0, results.Length, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = options.MaxDegreeOfParallelism ?? -1 }, i =>
        {
            var candidate = grid.Candidates[i];
            var run = FastBacktest.Run(series, candles, [candidate], TimeProvider.System).Runs[0];
            var inSample = OutcomeStatistics.Of(run.Outcomes.Where(o => o.SignalTime < split));
            var outOfSample = OutcomeStatistics.Of(run.Outcomes.Where(o => o.SignalTime >= split));
            results[i] = new CandidateResult(i, grid.ParametersOf(candidate), inSample, outOfSample, outOfSample.Closed >= options.MinTrades);
            candidateDone?.Invoke();
        });

        var ranked = results
            .OrderByDescending(r => r.Qualified)
            .ThenByDescending(r => r.OutOfSample.TotalR)
            .ThenByDescending(r => r.OutOfSample.ExpectancyR ?? double.NegativeInfinity)
            .ThenBy(r => r.Index)
            .ToList();
        return new OptimizationResult(split, splitIndex, candles.Count - splitIndex, ranked);
    }
}

/// <param name="MinTrades">Closed out-of-sample outcomes a candidate needs to rank among the qualified.</param>
/// <param name="MaxDegreeOfParallelism">Null: all cores.</param>
public sealed record OptimizationOptions(double InSampleFraction = 0.7, int MinTrades = 5, int? MaxDegreeOfParallelism = null);

/// <param name="Index">Position in the grid.</param>
/// <param name="Parameters">The values the grid varies.</param>
public sealed record CandidateResult(int Index, NamedValues Parameters, OutcomeStatistics InSample, OutcomeStatistics OutOfSample, bool Qualified);

/// <param name="SplitTime">The first out-of-sample candle's time.</param>
public sealed record OptimizationResult(DateTime SplitTime, int InSampleCandles, int OutOfSampleCandles, IReadOnlyList<CandidateResult> Ranked);
