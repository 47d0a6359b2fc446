using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SignalFlow.Domain;

/// <summary>One factor of a signal's confidence: its score in [0, 1] and its weight (the weights sum to 1).</summary>
[GenerateSerializer, Immutable]
public readonly record struct ConfidenceFactor([property: Id(0)] string Name, [property: Id(1)] double Score, [property: Id(2)] double Weight)
{
    /// <summary>What the factor adds to the confidence.</summary>
    public double Contribution => Score * Weight;
}

/// <summary>
/// A signal's confidence broken down by factor, in the scorer's order, with value equality. JSON (<c>confidence_factors</c>):
/// <c>{"risk_reward": {"score": 0.25, "weight": 0.25}, ...}</c>.
/// </summary>
[GenerateSerializer, Immutable]
[JsonConverter(typeof(ConfidenceFactorsJsonConverter))]
public sealed class ConfidenceFactors : IReadOnlyList<ConfidenceFactor>, IEquatable<ConfidenceFactors>
{
    [Id(0)] private readonly ConfidenceFactor[] _factors;

    public ConfidenceFactors(IEnumerable<ConfidenceFactor> factors)
    {
        _factors = factors.ToArray();
        if (_factors.Select(f => f.Name).Distinct(StringComparer.Ordinal).Count() != _factors.Length)
        {
            throw new ArgumentException($"Duplicate factor names in {this}.", nameof(factors));
        }
    }

    public int Count => _factors.Length;

    public ConfidenceFactor this[int index] => _factors[index];

    public ConfidenceFactor? Find(string name) => Array.FindIndex(_factors, f => f.Name == name) is var i and >= 0 ? _factors[i] : null;

    /// <summary>The weighted sum of the scores: the confidence.</summary>
    public double Total()
    {
        var total = 0.0;
        foreach (var factor in _factors)
        {
            total += factor.Contribution;
        }

        return total;
    }

    public IEnumerator<ConfidenceFactor> GetEnumerator() => ((IEnumerable<ConfidenceFactor>)_factors).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(ConfidenceFactors? other) => other is not null && _factors.AsSpan().SequenceEqual(other._factors);

    public override bool Equals(object? obj) => Equals(obj as ConfidenceFactors);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var factor in _factors)
        {
            hash.Add(factor);
        }

        return hash.ToHashCode();
    }

    public override string ToString() =>
        string.Join(", ", _factors.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Name}={f.Score:R}×{f.Weight:R}")));

    public static void Write(Utf8JsonWriter writer, ConfidenceFactors factors)
    {
        writer.WriteStartObject();
        foreach (var factor in factors)
        {
            writer.WriteStartObject(factor.Name);
            writer.WriteNumber("score", factor.Score);
            writer.WriteNumber("weight", factor.Weight);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    public static ConfidenceFactors Read(JsonElement element) =>
        new(element.EnumerateObject().Select(p => new ConfidenceFactor(p.Name, p.Value.GetProperty("score").GetDouble(), p.Value.GetProperty("weight").GetDouble())));

    private sealed class ConfidenceFactorsJsonConverter : JsonConverter<ConfidenceFactors>
    {
        public override ConfidenceFactors Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return ConfidenceFactors.Read(document.RootElement);
        }

        public override void Write(Utf8JsonWriter writer, ConfidenceFactors value, JsonSerializerOptions options) => ConfidenceFactors.Write(writer, value);
    }
}
