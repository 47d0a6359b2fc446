using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SignalFlow.Silo.Health;

/// <summary><c>SignalFlow:Cluster:MembershipWatch</c>: how a silo notices that the membership table lost it.</summary>
public sealed class MembershipWatchOptions
{
    public const string Section = "SignalFlow:Cluster:MembershipWatch";

    /// <summary>How often the silo reads its own row of the membership table.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the silo may be missing from the table (or the table be unreadable) before it stops, so that its
    /// orchestrator restarts it and it registers again; zero only reports it (health), never stops.
    /// </summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the stopping silo may take to shut down before the process exits anyway. Orleans' shutdown keeps
    /// retrying its status update in a table that no longer exists (measured: well over a minute); a silo no member
    /// knows has nothing to hand over, and grain state is written as it changes, so exiting loses nothing.
    /// </summary>
    public TimeSpan ExitTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>What the watch concluded from the last read of the membership table.</summary>
public sealed record MembershipPresence(HealthStatus Status, string Detail, bool Stop);

/// <summary>
/// Judges reads of this silo's row in the membership table. A silo that believes it is active but is missing from
/// the table (a Redis restart without persistence wiped it) is invisible to clients and other silos: Orleans keeps
/// it running headless. Past the grace period the silo is stopped, to be restarted and register again.
/// </summary>
public sealed class MembershipPresenceJudge(MembershipWatchOptions options, TimeProvider time)
{
    private DateTimeOffset? _missingSince;

    /// <param name="inTable">Whether the table holds this silo's row; null when the table could not be read.</param>
    public MembershipPresence Judge(SiloStatus localStatus, bool? inTable, string? readError = null)
    {
        if (localStatus != SiloStatus.Active)
        {
            _missingSince = null;
            return new(HealthStatus.Healthy, $"Silo is {localStatus}; the table is checked once it is active.", false);
        }

        if (inTable == true)
        {
            _missingSince = null;
            return new(HealthStatus.Healthy, "This silo is in the membership table.", false);
        }

        var now = time.GetUtcNow();
        _missingSince ??= now;
        var missingFor = now - _missingSince.Value;
        var what = inTable is null ? $"the membership table cannot be read ({readError})" : "this silo is missing from the membership table";
        var stop = options.Grace > TimeSpan.Zero && missingFor >= options.Grace;
        return new(HealthStatus.Unhealthy, $"{what} for {missingFor.TotalSeconds:0} s{(stop ? "; stopping so that it restarts and registers again" : "")}.", stop);
    }
}

/// <summary>Reads this silo's row every <see cref="MembershipWatchOptions.Interval"/> and stops the silo when the judge says so.</summary>
public sealed partial class MembershipTableWatch(
    IServiceProvider services,
    ILocalSiloDetails silo,
    IClusterMembershipService membership,
    IHostApplicationLifetime lifetime,
    IOptions<MembershipWatchOptions> options,
    TimeProvider time,
    ILogger<MembershipTableWatch> logger) : BackgroundService
{
    /// <summary>Exit code of a silo stopped because the membership table lost it (the orchestrator restarts it).</summary>
    public const int MissingFromTableExitCode = 3;

    private readonly MembershipPresenceJudge _judge = new(options.Value, time);

    public MembershipPresence Last { get; private set; } = new(HealthStatus.Healthy, "Not checked yet.", false);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            Last = await CheckAsync();
            if (Last.Stop)
            {
                LogStopping(Last.Detail);
                Environment.ExitCode = MissingFromTableExitCode;
                lifetime.StopApplication();
                ExitIfStillRunningAfter(options.Value.ExitTimeout);
                return;
            }
        }
    }

    /// <summary>Not awaited: the host's shutdown waits for <see cref="ExecuteAsync"/> to return before it goes on.</summary>
    private void ExitIfStillRunningAfter(TimeSpan timeout) => _ = Task.Run(async () =>
    {
        await Task.Delay(timeout, time);
        LogExiting(timeout.TotalSeconds);
        Environment.Exit(MissingFromTableExitCode);
    });

    private async Task<MembershipPresence> CheckAsync()
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        if (status != SiloStatus.Active)
        {
            return _judge.Judge(status, inTable: null);
        }

        try
        {
            var table = services.GetRequiredService<IMembershipTable>();
            using var timeout = new CancellationTokenSource(options.Value.Interval);
            var row = await table.ReadRowAsync(silo.SiloAddress, timeout.Token);
            return _judge.Judge(status, row.Members.Any(m => m.Item1.SiloAddress.Equals(silo.SiloAddress)));
        }
        catch (Exception e)
        {
            return _judge.Judge(status, inTable: null, e.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Membership: {Detail}")]
    private partial void LogStopping(string detail);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Membership: shutdown still running after {Seconds} s; exiting now")]
    private partial void LogExiting(double seconds);
}

/// <summary><c>/health/live</c> and <c>/health/ready</c>: unhealthy while this silo is missing from the membership table.</summary>
public sealed class MembershipTableHealthCheck(MembershipTableWatch watch) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(new HealthCheckResult(watch.Last.Status, watch.Last.Detail));
}
