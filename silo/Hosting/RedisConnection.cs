using StackExchange.Redis;

namespace SignalFlow.Silo.Hosting;

/// <summary>
/// Parses StackExchange.Redis configuration strings without ever echoing them: they may carry a password.
/// </summary>
public static class RedisConnection
{
    /// <summary>Null when the string parses and names at least one endpoint, else what is wrong (without the string).</summary>
    public static string? Problem(string connectionString)
    {
        try
        {
            return ConfigurationOptions.Parse(connectionString).EndPoints.Count == 0 ? "names no Redis endpoint (e.g. redis:6379)." : null;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or NotSupportedException)
        {
            return "is not a valid StackExchange.Redis configuration string (e.g. redis:6379,password=...).";
        }
    }

    /// <summary>Parses a string already validated with <see cref="Problem"/>; throws without the string otherwise.</summary>
    public static ConfigurationOptions Parse(string connectionString, string key) =>
        Problem(connectionString) is { } problem
            ? throw new InvalidOperationException($"{key} {problem}")
            : ConfigurationOptions.Parse(connectionString);
}
