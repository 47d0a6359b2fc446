using MongoDB.Driver;

namespace SignalFlow.Persistence.Mongo;

/// <summary>Which MongoDB failures mean "the server is not answering now" (worth spooling and retrying).</summary>
public static class MongoFailures
{
    private static readonly string[] TransientLabels = ["RetryableWriteError", "TransientTransactionError", "NetworkError"];

    public static bool IsTransient(Exception exception) => exception switch
    {
        TimeoutException => true,
        MongoConnectionException => true,
        MongoExecutionTimeoutException => true,
        MongoNotPrimaryException => true,
        MongoNodeIsRecoveringException => true,
        MongoWriteConcernException => true,
        MongoException mongo => TransientLabels.Any(mongo.HasErrorLabel),
        _ => false,
    };
}
