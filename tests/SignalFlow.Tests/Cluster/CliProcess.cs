using System.Diagnostics;

namespace SignalFlow.Tests.Cluster;

/// <summary>Runs the built <c>signalflow</c> CLI to completion and returns its exit code and output.</summary>
internal static class CliProcess
{
    public static async Task<(int ExitCode, string StandardOutput, string StandardError)> RunAsync(IEnumerable<string> args, TimeSpan timeout)
    {
        var start = StartInfo(args);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start)!;
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        var standardError = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return (process.ExitCode, await standardOutput, await standardError);
    }

    /// <summary>How to start the built CLI with <paramref name="args"/> (e.g. for a <see cref="ChildProcess"/>).</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var testDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var assembly = Path.Combine(RepositoryPaths.Root, "client", "SignalFlow.Cli", "bin", testDirectory.Parent!.Name, testDirectory.Name, "signalflow.dll");
        var start = new ProcessStartInfo("dotnet") { ArgumentList = { assembly } };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }
}
