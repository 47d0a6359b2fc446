using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SignalFlow.Domain;

/// <summary>
/// An ordered, immutable set of named numbers with value equality: a strategy's parameters, or the indicator values a
/// signal reports. Written in JSON as an object (<c>{"fast_ma": 1.0871, "slow_ma": 1.0869}</c>) in its own order.
/// </summary>
[GenerateSerializer, Immutable]
[JsonConverter(typeof(NamedValuesJsonConverter))]
public sealed class NamedValues : IReadOnlyDictionary<string, double>, IEquatable<NamedValues>
{
    [Id(0)] private readonly string[] _names;
    [Id(1)] private readonly double[] _values;

    public static readonly NamedValues Empty = new([], []);

    private NamedValues(string[] names, double[] values)
    {
        _names = names;
        _values = values;
    }

    public static NamedValues Of(params (string Name, double Value)[] entries) => From(entries);

    public static NamedValues From(IEnumerable<(string Name, double Value)> entries)
    {
        var list = entries.ToList();
        var names = list.Select(e => e.Name).ToArray();
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Length)
        {
            throw new ArgumentException($"Duplicate names in {string.Join(", ", names)}.", nameof(entries));
        }

        return new NamedValues(names, list.Select(e => e.Value).ToArray());
    }

    public static NamedValues From(IEnumerable<KeyValuePair<string, double>> entries) => From(entries.Select(e => (e.Key, e.Value)));

    public int Count => _names.Length;

    public IEnumerable<string> Keys => _names;

    public IEnumerable<double> Values => _values;

    public double this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No value named '{key}'.");

    public bool ContainsKey(string key) => Array.IndexOf(_names, key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out double value)
    {
        var index = Array.IndexOf(_names, key);
        value = index >= 0 ? _values[index] : default;
        return index >= 0;
    }

    public double? Find(string key) => TryGetValue(key, out var value) ? value : null;

    public IEnumerator<KeyValuePair<string, double>> GetEnumerator()
    {
        for (var i = 0; i < _names.Length; i++)
        {
            yield return new KeyValuePair<string, double>(_names[i], _values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Same names in the same order with the same values (bit for bit, NaN equal to NaN).</summary>
    public bool Equals(NamedValues? other) =>
        other is not null && _names.AsSpan().SequenceEqual(other._names) && _values.AsSpan().SequenceEqual(other._values);

    public override bool Equals(object? obj) => Equals(obj as NamedValues);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        for (var i = 0; i < _names.Length; i++)
        {
            hash.Add(_names[i]);
            hash.Add(_values[i]);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => string.Join(", ", this.Select(e => $"{e.Key}={e.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}"));

    private sealed class NamedValuesJsonConverter : JsonConverter<NamedValues>
    {
        public override NamedValues Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException($"Expected an object of named numbers, found {reader.TokenType}.");
            }

            var entries = new List<(string, double)>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var name = reader.GetString()!;
                reader.Read();
                entries.Add((name, reader.TokenType == JsonTokenType.String
                    ? double.Parse(reader.GetString()!, System.Globalization.CultureInfo.InvariantCulture)
                    : reader.GetDouble()));
            }

            return From(entries);
        }

        public override void Write(Utf8JsonWriter writer, NamedValues value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            foreach (var (name, number) in value)
            {
                writer.WritePropertyName(name);
                if (double.IsFinite(number))
                {
                    writer.WriteNumberValue(number);
                }
                else
                {
                    writer.WriteStringValue(number.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
            }

            writer.WriteEndObject();
        }
    }
}
