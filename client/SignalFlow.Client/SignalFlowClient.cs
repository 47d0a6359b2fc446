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

    /// <summary>Signals as they are stored, oldest first, starting with the newest <see cref="SignalSearch.Limit"/> already there.</summary>
    public IAsyncEnumerable<Signal> WatchSignalsAsync(SignalSearch search, TimeSpan interval, TimeSpan lookback, CancellationToken cancellationToken = default) =>
        new SignalWatcher((s, _) => SearchSignalsAsync(s), _time).WatchAsync(search, interval, lookback, cancellationToken);

    public Task<StrategySeriesStatus> GetSeriesStatusAsync(SeriesKey series) =>
        cluster.GetGrain<IStrategyGrain>(series.ToString()).GetStatusAsync();
}
