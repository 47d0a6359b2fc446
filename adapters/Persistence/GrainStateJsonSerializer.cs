using System.Text.Json;
using Orleans.Storage;

namespace SignalFlow.Persistence;

/// <summary>
/// The one serializer of grain state for the memory and Redis providers: System.Text.Json with
/// <see cref="PersistenceJson.Options"/>, the same contract the MongoDB provider stores as BSON
/// (<c>BsonStateSerializer</c>), so a state type that round-trips on one provider round-trips on all.
/// State written before this serializer (Orleans' binary form) is still read, and rewritten as JSON on the next write.
/// </summary>
public sealed class GrainStateJsonSerializer(OrleansGrainStorageSerializer previousVersions) : IGrainStorageSerializer
{
    public BinaryData Serialize<T>(T? input) => new(JsonSerializer.SerializeToUtf8Bytes(input, PersistenceJson.Options));

    public T Deserialize<T>(BinaryData input)
    {
        var bytes = input.ToMemory().Span;
        var start = bytes.IndexOfAnyExcept(" \n\r\t"u8);

        // A class state in Orleans' binary form starts with a field header, never with '{'.
        return start >= 0 && bytes[start] == (byte)'{'
            ? JsonSerializer.Deserialize<T>(bytes, PersistenceJson.Options)!
            : previousVersions.Deserialize<T>(input)!;
    }
}
