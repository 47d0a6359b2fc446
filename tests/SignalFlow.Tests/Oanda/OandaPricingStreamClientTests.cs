using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using SignalFlow.Domain;
using SignalFlow.Oanda;

namespace SignalFlow.Tests.Oanda;

public sealed class OandaPricingStreamClientTests : IAsyncLifetime
{
    private static readonly DateTime Start = new(2023, 3, 10, 18, 0, 0, DateTimeKind.Utc);
    private static readonly Instrument EurUsd = Instrument.Parse("EUR_USD");
    private static readonly Instrument GbpJpy = Instrument.Parse("GBP_JPY");
    private OandaTestHost _host = null!;
    private readonly CancellationTokenSource _stop = new();

    public async Task InitializeAsync() => _host = await OandaTestHost.StartAsync(Start);

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _host.DisposeAsync();
    }

    private Task Run(RecordingSink sink) => _host.StreamClient().RunAsync([EurUsd, GbpJpy], sink, _stop.Token);

    private static PriceTick Tick(Instrument instrument, int second, decimal bid, decimal ask) => new(instrument, Start.AddSeconds(second).AddTicks(1234567), bid, ask);

    /// <summary>A reconnect delay, as opposed to the answer and heartbeat timeouts.</summary>
    private bool IsBackoff(TimeSpan due) => due > TimeSpan.Zero && due < _host.Options.HeartbeatTimeout;

    /// <summary>The heartbeat watchdog is the second timer of that length a connection makes, after the one waiting for the answer.</summary>
    private async Task HeartbeatWatchdogAsync()
    {
        await _host.Clock.NextTimerAsync(due => due == _host.Options.HeartbeatTimeout);
        await _host.Clock.NextTimerAsync(due => due == _host.Options.HeartbeatTimeout);
    }

    [Fact]
    public async Task Reads_prices_whatever_the_chunking_and_skips_heartbeats_and_bad_lines()
    {
        var sink = new RecordingSink();
        _ = Run(sink);
        var connection = await _host.Server.NextConnectionAsync();
        var ticks = new[] { Tick(EurUsd, 1, 1.06686m, 1.06698m), Tick(GbpJpy, 1, 162.301m, 162.322m), Tick(EurUsd, 2, 1.06690m, 1.06700m) };

        await connection.WriteChunkedAsync(
            FakeOandaServer.PriceLine(ticks[0]) + FakeOandaServer.HeartbeatLine(Start.AddSeconds(1)) + "{\"type\":\"PRICE\",broken\n"
            + FakeOandaServer.PriceLine(ticks[1]) + FakeOandaServer.PriceLine(Tick(EurUsd, 2, 1.2m, 1.1m))
            + FakeOandaServer.PriceLine(Tick(GbpJpy, 2, 162.3m, 162.4m), tradeable: false) + FakeOandaServer.PriceLine(ticks[2]),
            chunkBytes: 97);

        Assert.Equal(ticks, await sink.TicksAsync(3));
        Assert.Equal(1, _host.Metrics.Sum("signalflow.oanda.lines.rejected", PricingLineRejection.Malformed));
        Assert.Equal(1, _host.Metrics.Sum("signalflow.oanda.lines.rejected", PricingLineRejection.Crossed));
        Assert.Equal(1, _host.Metrics.Sum("signalflow.oanda.lines.rejected", PricingLineRejection.NonTradeable));
        Assert.Equal($"?instruments=EUR_USD%2CGBP_JPY", connection.Query);
        Assert.Contains($"auth=Bearer {FakeOandaServer.Token}", Assert.Single(_host.Server.StreamRequests));
    }

    [Fact]
    public async Task Delivers_the_newest_time_the_stream_stamped_on_prices_and_heartbeats_with_every_read()
    {
        var sink = new RecordingSink();
        _ = Run(sink);
        var connection = await _host.Server.NextConnectionAsync();
        var early = Tick(GbpJpy, 1, 162.301m, 162.322m);
        var late = Tick(EurUsd, 3, 1.06686m, 1.06698m);

        // Prices of several instruments in one read: the newest stamp counts, whatever the order of the lines.
        await connection.WriteAsync(FakeOandaServer.PriceLine(late) + FakeOandaServer.PriceLine(early));
        Assert.Equal((2, late.Time), await sink.NextDeliveryAsync());

        // A heartbeat alone still moves the stream time on (a quiet market); a non-tradeable price does not.
        await connection.WriteAsync(FakeOandaServer.HeartbeatLine(Start.AddSeconds(5)));
        Assert.Equal((0, Start.AddSeconds(5)), await sink.NextDeliveryAsync());
        await connection.WriteAsync(FakeOandaServer.PriceLine(Tick(EurUsd, 9, 1.0669m, 1.0670m), tradeable: false) + FakeOandaServer.HeartbeatLine(Start.AddSeconds(10)));
        Assert.Equal((0, Start.AddSeconds(10)), await sink.NextDeliveryAsync());
    }

    [Fact]
    public async Task Reconnects_with_backoff_after_a_drop_mid_stream()
    {
        var sink = new RecordingSink();
        _ = Run(sink);
        var first = await _host.Server.NextConnectionAsync();
        Assert.Equal(Start, await sink.NextConnectionAsync());
        await first.WriteAsync(FakeOandaServer.PriceLine(Tick(EurUsd, 1, 1.06686m, 1.06698m)) + "{\"type\":\"PRICE\",\"instrument\":\"EUR_U");
        await sink.TicksAsync(1);

        first.Drop();
        var backoff = await _host.Clock.AdvancePastNextTimerAsync(IsBackoff);
        var second = await _host.Server.NextConnectionAsync();

        Assert.InRange(backoff, TimeSpan.Zero, TimeSpan.FromSeconds(2));
        Assert.Equal(Start + backoff + TimeSpan.FromMilliseconds(1), await sink.NextConnectionAsync());
        Assert.Equal(1, _host.Metrics.Sum("signalflow.oanda.stream.ends", "dropped"));
        await second.WriteAsync(FakeOandaServer.PriceLine(Tick(EurUsd, 5, 1.0669m, 1.0670m)));
        Assert.Equal(Tick(EurUsd, 5, 1.0669m, 1.0670m), Assert.Single(await sink.TicksAsync(1)));
    }

    [Fact]
    public async Task Replaces_a_stream_that_stays_silent_past_the_heartbeat_timeout()
    {
        var sink = new RecordingSink();
        _ = Run(sink);
        var silent = await _host.Server.NextConnectionAsync();
        await HeartbeatWatchdogAsync();

        _host.Clock.Advance(_host.Options.HeartbeatTimeout - TimeSpan.FromMilliseconds(1));
        Assert.False(silent.ClientGone.IsCompleted);
        _host.Clock.Advance(TimeSpan.FromMilliseconds(1));
        await silent.ClientGone.Within();
        await _host.Clock.AdvancePastNextTimerAsync(IsBackoff);

        await _host.Server.NextConnectionAsync();
        Assert.Equal(1, _host.Metrics.Sum("signalflow.oanda.stream.ends", "silent"));
    }

    [Fact]
    public async Task Keeps_a_stream_alive_on_heartbeats_and_replaces_it_at_once_when_it_drops_after_being_healthy()
    {
        var sink = new RecordingSink();
        _ = Run(sink);
        var connection = await _host.Server.NextConnectionAsync();
        await HeartbeatWatchdogAsync();

        for (var i = 1; i <= 6; i++)
        {
            _host.Clock.Advance(TimeSpan.FromSeconds(5));
            await connection.WriteAsync(FakeOandaServer.HeartbeatLine(Start.AddSeconds(5 * i)) + FakeOandaServer.PriceLine(Tick(EurUsd, 5 * i, 1.1m, 1.1001m)));
            await sink.TicksAsync(1);
        }

        Assert.False(connection.ClientGone.IsCompleted);
        Assert.Single(_host.Server.StreamRequests);

        // Healthy for 30 s: no backoff, the clock does not move before the next connection.
        var droppedAt = _host.Clock.GetUtcNow();
        connection.Drop();
        await _host.Server.NextConnectionAsync();
        Assert.Equal(Start, await sink.NextConnectionAsync());
        Assert.Equal(droppedAt.UtcDateTime, await sink.NextConnectionAsync());
        Assert.Equal(1, _host.Metrics.Sum("signalflow.oanda.stream.ends", "dropped"));
    }

    [Fact]
    public async Task Gives_up_on_a_server_that_accepts_but_never_answers()
    {
        _host.Server.StallNextStreamRequest = true;
        var sink = new RecordingSink();
        _ = Run(sink);

        await _host.Clock.NextTimerAsync(due => due == _host.Options.HeartbeatTimeout);
        await _host.Server.StreamRequestStalled.Within();
        _host.Clock.Advance(_host.Options.HeartbeatTimeout);
        await _host.Clock.AdvancePastNextTimerAsync(IsBackoff);

        await _host.Server.NextConnectionAsync();
        Assert.Equal(1, _host.Metrics.Sum("signalflow.oanda.stream.ends", "unanswered"));
    }

    [Fact]
    public async Task Stops_on_401_without_retrying_and_without_revealing_the_token()
    {
        _host.Options.Token = "wrong-token";

        var error = await Assert.ThrowsAsync<OandaAccessDeniedException>(() => Run(new RecordingSink()).Within());

        Assert.Single(_host.Server.StreamRequests);
        Assert.DoesNotContain("wrong-token", error.Message);
        Assert.Contains(FakeOandaServer.AccountId, error.Message);
    }

    [Fact]
    public async Task Backs_off_on_429_and_5xx_honouring_retry_after()
    {
        _host.Server.StreamRefusals.Enqueue((429, "3"));
        _host.Server.StreamRefusals.Enqueue((503, null));
        var sink = new RecordingSink();
        _ = Run(sink);

        Assert.Equal(TimeSpan.FromSeconds(3), await _host.Clock.AdvancePastNextTimerAsync(IsBackoff));
        var secondDelay = await _host.Clock.AdvancePastNextTimerAsync(IsBackoff);
        await _host.Server.NextConnectionAsync();

        Assert.InRange(secondDelay, TimeSpan.FromMilliseconds(1), _host.Options.ReconnectMaxDelay);
        Assert.Equal(3, _host.Server.StreamRequests.Count);
    }

    [Fact]
    public async Task Hands_over_what_the_connection_has_buffered_already_in_one_call_up_to_the_bound()
    {
        // The whole body is buffered: every read completes at once, 1000 bytes at a time (lines cut anywhere).
        var count = OandaPricingStreamClient.MaxTicksPerHandOver + 10;
        var ticks = Enumerable.Range(0, count).Select(i => Tick(i % 2 == 0 ? EurUsd : GbpJpy, i, 1.06686m, 1.06698m)).ToList();
        var body = string.Concat(ticks.Select(t => FakeOandaServer.PriceLine(t))) + FakeOandaServer.HeartbeatLine(Start.AddSeconds(count + 5));
        using var http = new HttpClient(new BufferedBodyHandler(Encoding.UTF8.GetBytes(body), bytesPerRead: 1000));
        var client = new OandaPricingStreamClient(http, _host.Options, _host.Clock, _host.FeedMetrics, NullLogger<OandaPricingStreamClient>.Instance);
        var sink = new RecordingSink();
        _ = client.RunAsync([EurUsd, GbpJpy], sink, _stop.Token);

        // Draining stops once the bound is reached (within the read that reached it); the rest follows in the next call.
        var (first, firstTime) = await sink.NextDeliveryAsync();
        Assert.InRange(first, OandaPricingStreamClient.MaxTicksPerHandOver, count - 1);
        Assert.Equal(ticks[first - 1].Time, firstTime);
        Assert.Equal((count - first, Start.AddSeconds(count + 5)), await sink.NextDeliveryAsync());
        Assert.Equal(ticks, await sink.TicksAsync(count));
    }

    [Fact]
    public async Task A_hand_over_that_fails_while_the_stream_is_quiet_ends_the_connection_at_once()
    {
        var sink = new FailingSink();
        _ = _host.StreamClient().RunAsync([EurUsd, GbpJpy], sink, _stop.Token);
        var first = await _host.Server.NextConnectionAsync();
        await first.WriteAsync(FakeOandaServer.PriceLine(Tick(EurUsd, 1, 1.06686m, 1.06698m)));
        await sink.FirstHandOver.Task.Within();

        // The reader waits for more data while the hand-over runs; nothing more comes, its failure alone ends it.
        sink.Fail.SetResult();
        await first.ClientGone.Within();
        await _host.Clock.AdvancePastNextTimerAsync(IsBackoff);
        await _host.Server.NextConnectionAsync();

        Assert.Equal(1, sink.HandOvers);
    }

    /// <summary>Its first hand-over fails once released, as a hand-over to an unreachable ingestion grain would.</summary>
    private sealed class FailingSink : IPriceStreamSink
    {
        private int _handOvers;

        public TaskCompletionSource FirstHandOver { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Fail { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int HandOvers => Volatile.Read(ref _handOvers);

        public Task OnConnectedAsync(DateTime connectedAt, CancellationToken cancellationToken) => Task.CompletedTask;

        public async Task OnReceivedAsync(IReadOnlyList<PriceTick> ticks, DateTime streamTime, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _handOvers) == 1)
            {
                FirstHandOver.SetResult();
                await Fail.Task;
                throw new InvalidOperationException("ingestion is unreachable");
            }
        }
    }

    /// <summary>Answers every request with a body whose reads complete at once until it is exhausted, then wait for more.</summary>
    private sealed class BufferedBodyHandler(byte[] body, int bytesPerRead) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new BufferedBody(body, bytesPerRead)) });

        private sealed class BufferedBody(byte[] body, int bytesPerRead) : Stream
        {
            private int _position;

            public override bool CanRead => true;

            public override bool CanSeek => false;

            public override bool CanWrite => false;

            public override long Length => throw new NotSupportedException();

            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

            public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            {
                if (_position == body.Length)
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }

                var read = Math.Min(Math.Min(bytesPerRead, buffer.Length), body.Length - _position);
                body.AsSpan(_position, read).CopyTo(buffer.Span);
                _position += read;
                return read;
            }

            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            public override void Flush()
            {
            }

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}

public class ConnectionRateGateTests
{
    [Fact]
    public async Task Lets_at_most_two_connections_start_per_second()
    {
        var clock = new TestClock(new DateTimeOffset(2023, 3, 10, 18, 0, 0, TimeSpan.Zero));
        var gate = new ConnectionRateGate(2, clock);

        await gate.WaitAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMilliseconds(300));
        await gate.WaitAsync(CancellationToken.None);
        var third = gate.WaitAsync(CancellationToken.None);

        Assert.Equal(TimeSpan.FromMilliseconds(700), await clock.NextTimerAsync(_ => true));
        Assert.False(third.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(700));
        await third.Within();
    }
}
