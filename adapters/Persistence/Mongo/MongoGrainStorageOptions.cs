namespace SignalFlow.Persistence.Mongo;

public sealed class MongoGrainStorageOptions
{
    /// <summary>Prefix of each state collection: state <c>strategy</c> lives in <c>{prefix}strategy</c>.</summary>
    public string CollectionPrefix { get; set; } = "grainstate_";

    /// <summary>
    /// True: clearing a grain's state deletes its document. False (Orleans' usual default): the document stays with
    /// <c>state: null</c> and a new ETag, so operators still see when and that it was cleared.
    /// </summary>
    public bool DeleteStateOnClear { get; set; }

    /// <summary>State names whose collections are created at silo start (others are created by their first write).</summary>
    public IList<string> StateNames { get; set; } = [];
}
