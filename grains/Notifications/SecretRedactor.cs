using System.Security.Cryptography;
using System.Text;

namespace SignalFlow.Notifications;

/// <summary>Keeps webhook tokens and other secrets out of logs, status and exception text.</summary>
public static class SecretRedactor
{
    /// <summary><c>https://discord.com/api/webhooks/1/abc</c> becomes <c>https://discord.com/***</c>.</summary>
    public static string RedactUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Authority}/***" : "(invalid url)";

    /// <summary>Removes every occurrence of the secret (and its escaped form) from a message.</summary>
    public static string Redact(string message, string? secret)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return message;
        }

        var redacted = Uri.TryCreate(secret, UriKind.Absolute, out _) ? RedactUrl(secret) : "***";
        return message.Replace(secret, redacted, StringComparison.Ordinal)
            .Replace(Uri.EscapeDataString(secret), redacted, StringComparison.Ordinal);
    }

    /// <summary>A stable, non-reversible short id of a secret, to notice that it changed.</summary>
    public static string Fingerprint(string? secret) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret ?? string.Empty)))[..16];
}
