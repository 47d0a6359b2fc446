namespace SignalFlow.Persistence.Mongo;

public sealed class MongoSignalStoreOptions
{
    /// <summary>The legacy frontend's database.</summary>
    public string Database { get; set; } = "signals";

    /// <summary>The legacy frontend's collection.</summary>
    public string Collection { get; set; } = "trades";
}
