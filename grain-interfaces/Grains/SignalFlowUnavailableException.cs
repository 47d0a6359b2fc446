namespace SignalFlow.Grains;

/// <summary>
/// A grain call failed on infrastructure (a store, a channel endpoint) that may recover: retry later. Grains throw
/// this instead of the infrastructure's own exception, whose type (or what it carries) a client without that
/// library cannot deserialize (a <c>CodecNotFoundException</c> in the client instead of the real reason).
/// </summary>
[GenerateSerializer]
public sealed class SignalFlowUnavailableException : Exception
{
    public SignalFlowUnavailableException()
    {
    }

    public SignalFlowUnavailableException(string message)
        : base(message)
    {
    }

    public SignalFlowUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Wraps <paramref name="failure"/> by its type and message only: nothing the client could fail to read.</summary>
    public static SignalFlowUnavailableException From(string what, Exception failure) =>
        new($"{what} is unavailable: {failure.GetType().Name}: {failure.Message}");
}
