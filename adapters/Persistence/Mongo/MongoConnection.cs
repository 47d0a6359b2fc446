using System.Text.RegularExpressions;
using MongoDB.Driver;

namespace SignalFlow.Persistence.Mongo;

/// <summary>Builds the one <see cref="MongoClient"/> of a process without ever echoing the connection string's secrets.</summary>
public static partial class MongoConnection
{
    public static MongoClient CreateClient(string connectionString, TimeSpan serverSelectionTimeout, Action<MongoClientSettings>? configure = null)
    {
        MongoClientSettings settings;
        try
        {
            settings = MongoClientSettings.FromConnectionString(connectionString);
        }
        catch (Exception e) when (e is MongoConfigurationException or ArgumentException or FormatException)
        {
            // The driver's message quotes the connection string, so it is neither passed on nor wrapped.
            throw new InvalidOperationException(
                $"The MongoDB connection string '{Redact(connectionString)}' is not valid ({e.GetType().Name}).");
        }

        settings.ServerSelectionTimeout = serverSelectionTimeout;
        configure?.Invoke(settings);
        return new MongoClient(settings);
    }

    /// <summary>The connection string with user info and password-like options replaced by <c>***</c>.</summary>
    public static string Redact(string? connectionString)
    {
        if (string.IsNullOrEmpty(connectionString))
        {
            return string.Empty;
        }

        var withoutUserInfo = UserInfo().Replace(connectionString, "$1***@");
        return SecretOption().Replace(withoutUserInfo, "$1=***");
    }

    [GeneratedRegex(@"^([a-zA-Z][a-zA-Z0-9+.-]*://)[^@/]*@")]
    private static partial Regex UserInfo();

    [GeneratedRegex(@"(?i)\b(password|pwd|secret|token|authMechanismProperties|tlsCertificateKeyFilePassword|sslClientCertificateKeyPassword)=[^&;]*")]
    private static partial Regex SecretOption();
}
