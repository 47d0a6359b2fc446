namespace SignalFlow.Indicators;

/// <summary>
/// The highest (or lowest) of the last n inputs, in O(1) amortised: a monotonic deque holds the inputs of the window
/// that a later one has not yet outdone, so the front is the extreme. No arithmetic is involved, so the value is
/// exact; the deque is a function of the window alone, so a snapshot stores the window and restore rebuilds it.
/// </summary>
public sealed class RollingExtreme : IIndicator<double>
{
    private readonly bool _highest;
    private readonly long[] _dequeSamples;
    private readonly double[] _dequeValues;
    private RollingWindow<double> _window;
    private int _front;
    private int _count;

    private RollingExtreme(int period, bool highest)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        Period = period;
        _highest = highest;
        _window = new RollingWindow<double>(period);
        _dequeSamples = new long[period];
        _dequeValues = new double[period];
    }

    public static RollingExtreme Highest(int period) => new(period, highest: true);

    public static RollingExtreme Lowest(int period) => new(period, highest: false);

    public int Period { get; }

    public int WarmUpPeriod => Period;

    public bool IsReady => Samples >= Period;

    public double Current => IsReady ? _dequeValues[_front] : double.NaN;

    public long Samples { get; private set; }

    private string Name => $"{(_highest ? "highest" : "lowest")}({Period})";

    public void Update(double value)
    {
        IndicatorInput.RequireFinite(value, Name);
        Push(Samples, value);
        _window.Add(value);
        Samples++;
    }

    private void Push(long sample, double value)
    {
        // The input leaving the window with this one, if it is still the front.
        if (_count > 0 && _dequeSamples[_front] <= sample - Period)
        {
            _front = (_front + 1) % Period;
            _count--;
        }

        // Inputs the new one equals or outdoes can never be the extreme again while it is in the window.
        while (_count > 0 && !Outdoes(_dequeValues[Slot(_count - 1)], value))
        {
            _count--;
        }

        _dequeSamples[Slot(_count)] = sample;
        _dequeValues[Slot(_count)] = value;
        _count++;
    }

    private bool Outdoes(double earlier, double later) => _highest ? earlier > later : earlier < later;

    private int Slot(int position) => (_front + position) % Period;

    public void Reset()
    {
        _window = new RollingWindow<double>(Period);
        _front = 0;
        _count = 0;
        Samples = 0;
    }

    public IndicatorState Snapshot() => new() { Samples = Samples, Window = _window.ToArrayOldestFirst() };

    public void Restore(IndicatorState state)
    {
        InvalidIndicatorStateException.ThrowUnlessShaped(state, Name, values: 0, parts: 0);
        InvalidIndicatorStateException.ThrowIf(Samples != 0, Name, "it has already seen values");
        InvalidIndicatorStateException.ThrowIf(state.Window.Length != Math.Min(state.Samples, Period), Name,
            $"{state.Window.Length} window values after {state.Samples} samples");
        var first = state.Samples - state.Window.Length;
        for (var i = 0; i < state.Window.Length; i++)
        {
            Push(first + i, state.Window[i]);
            _window.Add(state.Window[i]);
        }

        Samples = state.Samples;
    }
}
