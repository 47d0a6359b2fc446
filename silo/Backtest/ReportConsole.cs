using Spectre.Console;

namespace SignalFlow.Silo.Backtest;

/// <summary>
/// A Spectre.Console console writing to the command's standard error, so standard output keeps only machine-readable
/// lines. Colours and live progress only on a terminal; redirected, tables come out as plain aligned text, as wide as
/// they need.
/// </summary>
public static class ReportConsole
{
    public static IAnsiConsole Create(TextWriter error)
    {
        var terminal = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(error),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
        {
            console.Profile.Width = 240;
        }

        return console;
    }

    /// <summary>True when live widgets (a progress bar) can be drawn: standard error is a terminal.</summary>
    public static bool IsLive(IAnsiConsole console) => console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi;
}
