using MongoDB.Driver;
using SignalFlow.Persistence.Mongo;

namespace SignalFlow.Tests.Persistence;

/// <summary>
/// The MongoDB server named by env <c>SIGNALFLOW_TEST_MONGODB</c>, if any. Each fixture works in databases of its own,
/// dropped at the end. Without the variable, every test using it is skipped (by name), never passed.
/// </summary>
public sealed class MongoTestServer : IAsyncLifetime
{
    public const string Variable = "SIGNALFLOW_TEST_MONGODB";

    private readonly List<string> _databases = [];
    private readonly string? _connectionString = Environment.GetEnvironmentVariable(Variable);
    private MongoClient? _client;

    public IMongoClient Client
    {
        get
        {
            Skip.If(string.IsNullOrWhiteSpace(_connectionString), $"{Variable} is not set: no MongoDB server to test against.");
            return _client ??= MongoConnection.CreateClient(_connectionString!, TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>A fresh database name (registered for dropping).</summary>
    public string NewDatabase(string purpose)
    {
        var name = $"sftest_{purpose}_{Guid.NewGuid():N}"[..40];
        lock (_databases)
        {
            _databases.Add(name);
        }

        return name;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_client is null)
        {
            return;
        }

        foreach (var database in _databases)
        {
            await _client.DropDatabaseAsync(database);
        }

        _client.Dispose();
    }
}
