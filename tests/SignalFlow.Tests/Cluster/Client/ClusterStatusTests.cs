using System.Net;
using SignalFlow.Cli;
using SignalFlow.Client;

namespace SignalFlow.Tests.Cluster.Client;

public sealed class ClusterStatusTests
{
    private static readonly SiloAddress First = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11111), 1);
    private static readonly SiloAddress Second = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11112), 1);

    [Fact]
    public void Combines_membership_with_activations_per_silo_and_per_grain_type()
    {
        var status = ClusterStatus.From(
            [Member(Second, SiloStatus.Dead, "silo-2"), Member(First, SiloStatus.Active, "silo-1")],
            [
                Activations(First, "SignalFlow.Strategies.StrategyGrain,SignalFlow.Grains", 3),
                Activations(First, "SignalFlow.Ingestion.CandleIngestionGrain,SignalFlow.Grains", 1),
                Activations(Second, "SignalFlow.Strategies.StrategyGrain,SignalFlow.Grains", 2),
            ]);

        Assert.Equal(["127.0.0.1:11111", "127.0.0.1:11112"], status.Silos.Select(s => s.Address));
        Assert.Equal(["silo-1"], status.ActiveSilos.Select(s => s.Name));
        Assert.Equal("Dead", status.Silos[1].Status);
        Assert.Equal(5, status.ActivationsByGrainType["StrategyGrain"]);
        Assert.Equal(1, status.ActivationsByGrainType["CandleIngestionGrain"]);
        Assert.Equal(3, status.Silos[0].ActivationsByGrainType["StrategyGrain"]);
    }

    [Fact]
    public void The_cli_shows_each_silo_and_the_activations_by_grain_type()
    {
        var status = ClusterStatus.From(
            [Member(First, SiloStatus.Active, "silo-1")],
            [Activations(First, "SignalFlow.Strategies.StrategyGrain,SignalFlow.Grains", 3)]);

        var lines = CliOutput.Status(status).ToList();

        Assert.Equal("1 active silo(s) of 1 in the membership table", lines[0]);
        Assert.Contains("127.0.0.1:11111", lines[1], StringComparison.Ordinal);
        Assert.Contains("3 activation(s)", lines[1], StringComparison.Ordinal);
        Assert.Matches(@"^\s+StrategyGrain\s+3$", lines[^1]);
    }

    private static MembershipEntry Member(SiloAddress address, SiloStatus status, string name) => new()
    {
        SiloAddress = address,
        Status = status,
        SiloName = name,
        StartTime = new DateTime(2024, 3, 4, 0, 0, 0, DateTimeKind.Utc),
    };

    private static SimpleGrainStatistic Activations(SiloAddress silo, string grainType, int count) => new()
    {
        SiloAddress = silo,
        GrainType = grainType,
        ActivationCount = count,
    };
}
