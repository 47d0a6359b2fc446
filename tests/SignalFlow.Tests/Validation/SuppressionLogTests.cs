using SignalFlow.Domain;
using SignalFlow.Grains;
using SignalFlow.Tests.Notifications;
using SignalFlow.Validation;

namespace SignalFlow.Tests.Validation;

public class SuppressionLogTests
{
    private static SuppressedSignal Suppressed(int n, string rule, string instrument = "EUR_USD", string strategy = "ma") =>
        new(TestSignals.Create(n, instrument, strategy: strategy), rule, $"reason {n}", TestSignals.Start.AddHours(n));

    [Fact]
    public void A_signal_is_recorded_once_and_the_newest_are_found_first_by_strategy_instrument_and_rule()
    {
        var log = new SuppressionLog(new SuppressionLogState(), kept: 10);

        Assert.True(log.Record(Suppressed(1, SuppressionRules.Session)));
        Assert.False(log.Record(Suppressed(1, SuppressionRules.Exposure)));
        Assert.True(log.Record(Suppressed(2, SuppressionRules.Exposure, "USD_JPY")));
        Assert.True(log.Record(Suppressed(3, SuppressionRules.Exposure, strategy: "rsi")));

        Assert.Equal([3, 2, 1], log.Search(new SuppressionSearch()).Select(s => (int)(s.SuppressedAt - TestSignals.Start).TotalHours));
        Assert.Equal(["reason 3", "reason 2"], log.Search(new SuppressionSearch(Rule: SuppressionRules.Exposure)).Select(s => s.Reason));
        Assert.Equal(["reason 2"], log.Search(new SuppressionSearch(Instrument: Instrument.Parse("USD_JPY"))).Select(s => s.Reason));
        Assert.Equal(["reason 3"], log.Search(new SuppressionSearch(StrategyId: "rsi")).Select(s => s.Reason));
        Assert.Equal(["reason 3"], log.Search(new SuppressionSearch(Limit: 1)).Select(s => s.Reason));
        Assert.Equal(new Dictionary<string, long> { [SuppressionRules.Session] = 1, [SuppressionRules.Exposure] = 2 }, log.Totals);
    }

    [Fact]
    public void Only_the_most_recent_are_kept_while_the_totals_count_them_all()
    {
        var state = new SuppressionLogState();
        var log = new SuppressionLog(state, kept: 2);

        for (var n = 0; n < 5; n++)
        {
            log.Record(Suppressed(n, SuppressionRules.Session));
        }

        Assert.Equal(["reason 4", "reason 3"], log.Search(new SuppressionSearch()).Select(s => s.Reason));
        Assert.Equal(5, log.Totals[SuppressionRules.Session]);

        // A log rebuilt from the persisted state still knows the kept ids, and no longer the dropped ones.
        var reloaded = new SuppressionLog(state, kept: 2);
        Assert.False(reloaded.Record(Suppressed(4, SuppressionRules.Session)));
        Assert.True(reloaded.Record(Suppressed(0, SuppressionRules.Session)));
    }
}
