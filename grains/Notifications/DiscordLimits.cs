namespace SignalFlow.Notifications;

/// <summary>Discord's message and embed limits (discord-api-docs); over any of them Discord answers 400.</summary>
public static class DiscordLimits
{
    public const int EmbedsPerMessage = 10;
    public const int TotalEmbedText = 6000;
    public const int Title = 256;
    public const int Description = 4096;
    public const int Fields = 25;
    public const int FieldName = 256;
    public const int FieldValue = 1024;
    public const int Footer = 2048;
    public const int AuthorName = 256;
    public const int Content = 2000;
    public const int Username = 80;
}
