using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace SignalFlow.Tests.Cluster;

/// <summary>
/// A process this test started: its output is kept for diagnostics, readiness is a line it prints, and disposing
/// kills it (and its children) if it still runs.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private const int MaxKeptLines = 400;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _readyLine;

    private ChildProcess(string name, ProcessStartInfo start, string readyLine)
    {
        Name = name;
        _readyLine = readyLine;
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Collect(e.Data);
        _process.ErrorDataReceived += (_, e) => Collect(e.Data);
        _process.Exited += (_, _) =>
        {
            // Waits for the redirected output to end, so that the report holds the process's last lines.
            _process.WaitForExit();
            _ready.TrySetException(new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before it was ready:{Environment.NewLine}{Output}"));
        };
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>Starts the process and completes once it prints a line containing <paramref name="readyLine"/>.</summary>
    public static async Task<ChildProcess> StartAsync(string name, ProcessStartInfo start, string readyLine, TimeSpan timeout)
    {
        var child = new ChildProcess(name, start, readyLine);
        child._process.Start();
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        try
        {
            await child._ready.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            await child.DisposeAsync();
            throw new TimeoutException($"{name} did not print '{readyLine}' within {timeout}:{Environment.NewLine}{child.Output}");
        }
        catch
        {
            await child.DisposeAsync();
            throw;
        }

        return child;
    }

    /// <summary>SIGKILL: the process gets no chance to clean up, as in a crash.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>SIGTERM, as <c>docker stop</c> sends it: the process may shut down gracefully.</summary>
    public void Terminate()
    {
        if (SendSignal(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"Sending SIGTERM to {Name} (pid {_process.Id}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    /// <summary>SIGSTOP: the process freezes (its sockets stay open), as a hung host or a paused container does.</summary>
    public void Freeze() => Signal(SigStop, "SIGSTOP");

    /// <summary>SIGCONT: a frozen process runs again.</summary>
    public void Thaw() => Signal(SigCont, "SIGCONT");

    private void Signal(int signal, string name)
    {
        if (SendSignal(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"Sending {name} to {Name} (pid {_process.Id}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    /// <summary>The exit code once the process has exited, within <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped: nothing left to stop.
        }
        finally
        {
            _process.Dispose();
        }
    }

    private const int SigTerm = 15;
    private const int SigStop = 19;
    private const int SigCont = 18;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    private void Collect(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > MaxKeptLines && _output.TryDequeue(out _))
        {
        }

        if (line.Contains(_readyLine, StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }
}
