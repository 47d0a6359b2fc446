namespace SignalFlow.Persistence.Mongo;

public sealed class MongoCandleStoreOptions
{
    /// <summary>The legacy tools' database: one collection per series, named like <c>EUR_USD_H4</c>.</summary>
    public string Database { get; set; } = "streamed_prices";
}
