using SignalFlow.Domain;

namespace SignalFlow.Indicators;

/// <summary>
/// ADX/DMI(n), Wilder's (docs/signal-quality.md). For t ≥ 1: <c>up = high_t − high_{t−1}</c>,
/// <c>down = low_{t−1} − low_t</c>; <c>+DM = up</c> when <c>up &gt; down</c> and <c>up &gt; 0</c>, else 0; <c>−DM</c>
/// mirrored; <c>TR_t</c> as for ATR. TR, +DM and −DM are each smoothed by <see cref="WilderMovingAverage"/> (first value
/// at t = n, the mean of t = 1 … n), <c>+DI = 100·avg(+DM)/avg(TR)</c>, <c>−DI</c> likewise (0 when avg(TR) is 0),
/// <c>DX = 100·|+DI − −DI|/(+DI + −DI)</c> (0 when both are 0), and ADX is the Wilder average of DX: its first value,
/// at t = 2n − 1, is the mean of DX at n … 2n − 1 (TA-Lib's lookback). Wilder summed where this averages; the ratios
/// are the same.
/// </summary>
public sealed class AverageDirectionalIndex : IIndicator<Candle>
{
    private readonly WilderMovingAverage _trueRange;
    private readonly WilderMovingAverage _plusMove;
    private readonly WilderMovingAverage _minusMove;
    private readonly WilderMovingAverage _adx;
    private double _previousHigh = double.NaN;
    private double _previousLow = double.NaN;
    private double _previousClose = double.NaN;

    public AverageDirectionalIndex(int period)
    {
        _trueRange = new WilderMovingAverage(period);
        _plusMove = new WilderMovingAverage(period);
        _minusMove = new WilderMovingAverage(period);
        _adx = new WilderMovingAverage(period);
        Period = period;
    }

    public int Period { get; }

    /// <summary>The first candle only sets the previous one; n directional moves make the first DX, n DX the first ADX.</summary>
    public int WarmUpPeriod => 2 * Period;

    public bool IsReady => _adx.IsReady;

    /// <summary>ADX; NaN before t = 2n − 1.</summary>
    public double Current => _adx.Current;

    /// <summary>+DI; NaN before t = n.</summary>
    public double PlusDi => _trueRange.IsReady ? Di(_plusMove.Current) : double.NaN;

    /// <summary>−DI; NaN before t = n.</summary>
    public double MinusDi => _trueRange.IsReady ? Di(_minusMove.Current) : double.NaN;

    public long Samples { get; private set; }

    private string Name => $"ADX({Period})";

    /// <summary>DX from the two directional indicators; 0 when neither moved.</summary>
    public static double Dx(double plusDi, double minusDi) =>
        plusDi + minusDi == 0 ? 0 : 100 * Math.Abs(plusDi - minusDi) / (plusDi + minusDi);

    public void Update(Candle candle)
    {
        IndicatorInput.RequireFinite(candle.High, Name);
        IndicatorInput.RequireFinite(candle.Low, Name);
        if (Samples > 0)
        {
            var up = candle.High - _previousHigh;
            var down = _previousLow - candle.Low;
            _plusMove.Update(up > down && up > 0 ? up : 0);
            _minusMove.Update(down > up && down > 0 ? down : 0);
            _trueRange.Update(TrueRange.Of(candle.High, candle.Low, _previousClose));
            if (_trueRange.IsReady)
            {
                _adx.Update(Dx(PlusDi, MinusDi));
            }
        }

        _previousHigh = candle.High;
        _previousLow = candle.Low;
        _previousClose = candle.Close;
        Samples++;
    }

    public void Reset()
    {
        _trueRange.Reset();
        _plusMove.Reset();
        _minusMove.Reset();
        _adx.Reset();
        _previousHigh = _previousLow = _previousClose = double.NaN;
        Samples = 0;
    }

    public IndicatorState Snapshot() => new()
    {
        Samples = Samples,
        Values = [_previousHigh, _previousLow, _previousClose],
        Parts = [_trueRange.Snapshot(), _plusMove.Snapshot(), _minusMove.Snapshot(), _adx.Snapshot()],
    };

    public void Restore(IndicatorState state)
    {
        InvalidIndicatorStateException.ThrowUnlessShaped(state, Name, values: 3, parts: 4);
        var moves = Math.Max(state.Samples - 1, 0);
        InvalidIndicatorStateException.ThrowIf(state.Parts.Take(3).Any(p => p.Samples != moves), Name,
            $"averages of other than {moves} moves after {state.Samples} candles");
        InvalidIndicatorStateException.ThrowIf(state.Parts[3].Samples != Math.Max(moves - Period + 1, 0), Name,
            $"an ADX of {state.Parts[3].Samples} DX values after {state.Samples} candles");
        _trueRange.Restore(state.Parts[0]);
        _plusMove.Restore(state.Parts[1]);
        _minusMove.Restore(state.Parts[2]);
        _adx.Restore(state.Parts[3]);
        _previousHigh = state.Values[0];
        _previousLow = state.Values[1];
        _previousClose = state.Values[2];
        Samples = state.Samples;
    }

    private double Di(double move)
    {
        var range = _trueRange.Current;
        return range == 0 ? 0 : 100 * move / range;
    }
}
