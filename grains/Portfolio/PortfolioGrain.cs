using Microsoft.Extensions.Logging;
using SignalFlow.Grains;

namespace SignalFlow.Portfolio;

/// <summary>Persisted by the portfolio grain: the signals not yet pruned and the newest opening time seen.</summary>
[GenerateSerializer]
public sealed class PortfolioState
{
    [Id(0)] public List<OpenSignal> Signals { get; set; } = [];

    /// <summary>The newest opening time of a signal opened here: signals closed by then are pruned.</summary>
    [Id(1)] public DateTime? Clock { get; set; }
}

/// <inheritdoc cref="IPortfolioGrain"/>
public sealed partial class PortfolioGrain(
    [PersistentState(StorageNames.PortfolioState, StorageNames.GrainState)] IPersistentState<PortfolioState> state,
    ILogger<PortfolioGrain> logger) : Grain, IPortfolioGrain
{
    private OpenSignalPortfolio _portfolio = new();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _portfolio = new OpenSignalPortfolio(state.State.Signals);
        return Task.CompletedTask;
    }

    public async Task<ExposureBreach?> OpenAsync(OpenSignal signal, int? maxPerCurrencySide = null)
    {
        if (_portfolio.Contains(signal.SignalId))
        {
            return null;
        }

        if (maxPerCurrencySide is { } limit && _portfolio.FindBreach(signal, limit) is { } breach)
        {
            return breach;
        }

        _portfolio.Add(signal);

        // The portfolio's clock is its signals' time, not the wall clock: a replay of old candles prunes as the live
        // run did. Pruning only bounds the state; queries by time already leave closed signals out.
        if (state.State.Clock is not { } clock || signal.OpenedAt > clock)
        {
            state.State.Clock = signal.OpenedAt;
        }

        var pruned = _portfolio.RemoveClosedBy(state.State.Clock.Value);
        LogOpened(signal.SignalId, signal.LongCurrency, signal.ShortCurrency, signal.ClosesAt, pruned);
        await SaveAsync();
        return null;
    }

    public async Task<bool> ResolveAsync(string signalId, DateTime resolvedAt)
    {
        if (!_portfolio.Resolve(signalId, resolvedAt))
        {
            return false;
        }

        await SaveAsync();
        return true;
    }

    public Task<PortfolioView> GetAsync(DateTime at) =>
        Task.FromResult(new PortfolioView(at, _portfolio.OpenAt(at), _portfolio.ExposureAt(at)));

    private Task SaveAsync()
    {
        state.State.Signals = _portfolio.All.ToList();
        return state.WriteStateAsync();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Portfolio: opened {SignalId} (long {Long}, short {Short}) until {ClosesAt:O}; {Pruned} closed signal(s) pruned")]
    private partial void LogOpened(string signalId, string @long, string @short, DateTime closesAt, int pruned);
}
