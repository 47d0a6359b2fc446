using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using SignalFlow.Domain;
using SignalFlow.Notifications;
using SignalFlow.Persistence;
using SignalFlow.Signals;

namespace SignalFlow.Tests.Notifications;

/// <summary>
/// A dispatcher over an in-memory outbox state, its channels pointed at a <see cref="FakeDiscordServer"/>, all on
/// one fake clock. <see cref="RunUntilAsync"/> plays the grain's timer: deliver what is due, then advance time.
/// </summary>
internal sealed class DeliveryHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private NotificationChannelFactory _factory;
    private string _persisted = JsonSerializer.Serialize(new NotificationOutboxState(), PersistenceJson.Options);
    private int _generation;
    private readonly List<NotificationChannelFactory> _crashed = [];

    private DeliveryHarness(FakeTimeProvider time, FakeDiscordServer server, NotificationOptions options)
    {
        Time = time;
        Server = server;
        Options = options;
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        Metrics = new NotificationMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        _factory = CreateFactory();
        Dispatcher = CreateDispatcher();
    }

    public FakeTimeProvider Time { get; }

    public FakeDiscordServer Server { get; }

    public NotificationOptions Options { get; }

    public NotificationMetrics Metrics { get; }

    /// <summary>What the dispatcher and the channels logged.</summary>
    public FakeLogger Logger { get; } = new();

    public NotificationOutboxState State { get; private set; } = new();

    public int Writes { get; private set; }

    /// <summary>The signal store the dispatcher records notification statuses in (tests store the signals first).</summary>
    public InMemorySignalStore Signals { get; } = new();

    /// <summary>Makes the storage write fail, as a storage outage would.</summary>
    public bool FailWrites { get; set; }

    public GrainLikeScheduler Scheduler { get; } = new();

    public NotificationDispatcher Dispatcher { get; private set; }

    /// <summary>Every wake-up the dispatcher asked its host for, in order (null: sleep).</summary>
    public List<TimeSpan?> Wakes { get; } = [];

    public static NotificationChannelOptions Channel(string url, NotificationChannelType type = NotificationChannelType.Discord) => new()
    {
        Type = type,
        Url = url,
        Timeout = TimeSpan.FromSeconds(5),
        Limits = { SignalsPerMinute = 0, SignalsPerHour = 0, PairCooldown = TimeSpan.Zero },
        Retry = { BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(8) },
        CircuitBreaker = { FailureThreshold = 3, FailureRatio = 1.0, SamplingDuration = TimeSpan.FromSeconds(60), BreakDuration = TimeSpan.FromSeconds(10) },
    };

    /// <summary>A fresh clock at the harness's start time, for fakes that must share it.</summary>
    public static FakeTimeProvider NewClock() => new(new DateTimeOffset(2024, 6, 3, 9, 0, 0, TimeSpan.Zero));

    public static async Task<DeliveryHarness> StartAsync(Func<FakeDiscordServer, Dictionary<string, NotificationChannelOptions>> channels, FakeTimeProvider? clock = null)
    {
        var time = clock ?? NewClock();
        var server = await FakeDiscordServer.StartAsync(time);
        var options = new NotificationOptions { Channels = channels(server) };
        return new DeliveryHarness(time, server, options);
    }

    public Task EnqueueAsync(IEnumerable<Signal> signals) => Scheduler.RunAsync(async () =>
    {
        foreach (var signal in signals)
        {
            await Dispatcher.EnqueueAsync(signal);
        }
    });

    public Task<IReadOnlyList<SignalFlow.Grains.NotificationChannelStatus>> StatusAsync() => Scheduler.Run(() => Dispatcher.Status());

    /// <summary>
    /// Delivers what is due, then advances the clock by <paramref name="step"/>, until <paramref name="done"/>. A
    /// request the server holds open is released by advancing the clock past the client's timeout.
    /// </summary>
    public async Task RunUntilAsync(Func<Task<bool>> done, TimeSpan step, int maxSteps = 1000, Func<Task>? afterStep = null)
    {
        for (var i = 0; i < maxSteps; i++)
        {
            var run = Scheduler.RunAsync(Dispatcher.DeliverDueAsync);
            while (true)
            {
                var hang = Server.Hangs.WaitToReadAsync().AsTask();
                if (await Task.WhenAny(run, hang) == run)
                {
                    break;
                }

                Server.Hangs.TryRead(out _);
                Time.Advance(Options.Channels.Values.Max(c => c.Timeout));
            }

            await run;
            if (afterStep is not null)
            {
                await afterStep();
            }

            if (await done())
            {
                return;
            }

            Time.Advance(step);
        }

        throw new TimeoutException($"Not done after {maxSteps} steps of {step}.");
    }

    /// <summary>
    /// What a grain reactivation does: stop the pumps, then start over from the persisted state, here round-tripped
    /// through JSON as SignalFlow's grain-state serializer does (<see cref="PersistenceJson.Options"/>).
    /// </summary>
    public async Task RestartAsync()
    {
        await Scheduler.RunAsync(() => Dispatcher.StopAsync(CancellationToken.None));
        State = JsonSerializer.Deserialize<NotificationOutboxState>(JsonSerializer.Serialize(State, PersistenceJson.Options), PersistenceJson.Options)!;
        Dispatcher = CreateDispatcher();
    }

    /// <summary>
    /// What a process crash and restart do: the running dispatcher is abandoned mid-send (its later writes no longer
    /// reach storage), and a new process with fresh channels (breakers, buckets) starts from the last write.
    /// </summary>
    public void Crash()
    {
        _generation++;
        State = JsonSerializer.Deserialize<NotificationOutboxState>(_persisted, PersistenceJson.Options)!;
        _crashed.Add(_factory);
        _factory = CreateFactory();
        Dispatcher = CreateDispatcher();
    }

    public async ValueTask DisposeAsync()
    {
        await Scheduler.RunAsync(() => Dispatcher.StopAsync(CancellationToken.None));
        _factory.Dispose();
        _crashed.ForEach(f => f.Dispose());
        await _services.DisposeAsync();
        await Server.DisposeAsync();
    }

    private NotificationChannelFactory CreateFactory() =>
        new(Microsoft.Extensions.Options.Options.Create(Options), Time, Metrics, new LoggerFactory([new FakeLoggerProvider(Logger.Collector)]));

    private NotificationDispatcher CreateDispatcher()
    {
        var generation = _generation;
        var state = State;
        return new(state, Options, _factory.CreateDeliveries(), () =>
        {
            if (FailWrites || generation != _generation)
            {
                throw new IOException("storage unavailable");
            }

            Writes++;
            _persisted = JsonSerializer.Serialize(state, PersistenceJson.Options);
            return Task.CompletedTask;
        }, new NotificationStatusRecorder(Signals, Metrics, NullLogger.Instance), Time, Metrics, Logger, Wakes.Add);
    }
}
