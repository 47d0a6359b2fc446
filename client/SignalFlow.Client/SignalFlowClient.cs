using SignalFlow.Domain;
using SignalFlow.Grains;

namespace SignalFlow.Client;

/// <summary>What an external program asks a SignalFlow cluster, over an Orleans gateway.</summary>
public sealed class SignalFlowClient(IClusterClient cluster, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public IClusterClient Cluster => cluster;

    /// <summary>Silos of the membership table (dead ones included) and their activations per grain type.</summary>
    public async Task<ClusterStatus> GetStatusAsync()
    {
        var management = cluster.GetGrain<IManagementGrain>(0);
        var members = await management.GetDetailedHosts(onlyActive: false);
        var activations = await management.GetSimpleGrainStatistics();
        return ClusterStatus.From(members, activations);
    }

    /// <summary>Stored signals, newest candle time first.</summary>
    public Task<IReadOnlyList<Signal>> SearchSignalsAsync(SignalSearch search) =>
        cluster.GetGrain<ISignalQueryGrain>(0).SearchAsync(search);

    /// <summary>Track records computed from the stored signals' outcomes (per strategy and per series, all time and recent).</summary>
    public Task<TrackRecordView> GetTrackRecordAsync(TrackRecordQuery query) =>
        cluster.GetGrain<ISignalQueryGrain>(0).GetTrackRecordAsync(query);

    /// <summary>
    /// Signals as they are stored, oldest first, starting with the newest <see cref="SignalSearch.Limit"/> already
    /// there. Transient failures are told to <paramref name="transientFailure"/> and ridden out.
    /// </summary>
    public IAsyncEnumerable<Signal> WatchSignalsAsync(SignalSearch search, TimeSpan interval, TimeSpan lookback,
        Action<Exception>? transientFailure = null, CancellationToken cancellationToken = default) =>
        new SignalWatcher((s, _) => SearchSignalsAsync(s), _time, transientFailure).WatchAsync(search, interval, lookback, cancellationToken);

    /// <summary>
    /// Failures worth retrying: the cluster's infrastructure is unavailable for now (a store, a silo, the
    /// connection), as opposed to a bad request or a bug.
    /// </summary>
    public static bool IsTransient(Exception exception) =>
        exception is SignalFlowUnavailableException or TimeoutException or OrleansException;

    public Task<IReadOnlyList<NotificationChannelStatus>> GetChannelsAsync() => Notifications.GetChannelStatusAsync();

    public Task<bool> PauseChannelAsync(string channel) => Notifications.SetChannelPausedAsync(channel, paused: true);

    public Task<bool> ResumeChannelAsync(string channel) => Notifications.SetChannelPausedAsync(channel, paused: false);

    public Task<IReadOnlyList<NotificationDeadLetter>> GetDeadLettersAsync(string? channel) => Notifications.GetDeadLettersAsync(channel);

    public Task<int> RedriveAsync(string channel, IReadOnlyList<string>? signalIds) => Notifications.RedriveDeadLettersAsync(channel, signalIds);

    private INotificationGrain Notifications => cluster.GetGrain<INotificationGrain>(INotificationGrain.SingletonKey);

    public Task<StrategySeriesStatus> GetSeriesStatusAsync(SeriesKey series) =>
        cluster.GetGrain<IStrategyGrain>(series.ToString()).GetStatusAsync();
}
