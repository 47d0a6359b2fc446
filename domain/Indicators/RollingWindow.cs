namespace SignalFlow.Indicators;

/// <summary>
/// Fixed-size window over the most recent values. Index 0 is the newest value, as in QuantConnect Lean.
/// </summary>
public sealed class RollingWindow<T>
{
    private readonly T[] _items;
    private int _next;

    public RollingWindow(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        _items = new T[size];
    }

    public int Size => _items.Length;

    public int Count { get; private set; }

    public bool IsFull => Count == Size;

    /// <summary>The value that the last <see cref="Add"/> pushed out, when the window was full.</summary>
    public T? MostRecentlyRemoved { get; private set; }

    public T this[int age]
    {
        get
        {
            if ((uint)age >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(age), age, $"Window holds {Count} values.");
            }

            return _items[(_next - 1 - age + Size) % Size];
        }
    }

    public void Add(T value)
    {
        MostRecentlyRemoved = IsFull ? _items[_next] : default;
        _items[_next] = value;
        _next = (_next + 1) % Size;
        Count = Math.Min(Count + 1, Size);
    }

    /// <summary>The values from oldest to newest.</summary>
    public T[] ToArrayOldestFirst()
    {
        var result = new T[Count];
        for (var i = 0; i < Count; i++)
        {
            result[i] = this[Count - 1 - i];
        }

        return result;
    }
}
