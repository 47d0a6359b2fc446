using System.Net;

namespace SignalFlow.Tests.Api;

/// <summary>Per-key and per-client request limits on /api, with reads open as in the embedded default.</summary>
public sealed class ApiRateLimitTests : IAsyncLifetime
{
    private ApiHost _host = null!;

    public Task InitializeAsync()
    {
        _host = new ApiHost(new Dictionary<string, string?>
        {
            ["SignalFlow:Api:OpenReads"] = "true",
            ["SignalFlow:Api:RateLimit:PermitsPerKey"] = "3",
            ["SignalFlow:Api:RateLimit:PermitsPerAnonymousClient"] = "2",
            ["SignalFlow:Api:RateLimit:Window"] = "01:00:00",
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_key_over_its_limit_gets_429_with_retry_after_while_other_keys_and_clients_keep_theirs()
    {
        var reader = _host.Reader();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/v1/signals")).StatusCode);
        }

        var limited = await reader.GetAsync("/api/v1/signals");
        await ApiTests.AssertProblemAsync(limited, HttpStatusCode.TooManyRequests, "Too many requests for this key");
        Assert.InRange(limited.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));

        Assert.Equal(HttpStatusCode.OK, (await _host.Operator().GetAsync("/api/v1/channels")).StatusCode);

        var anonymous = _host.Client();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/v1/signals")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/signals")).StatusCode);
        await ApiTests.AssertProblemAsync(await anonymous.GetAsync("/api/v1/series"), HttpStatusCode.TooManyRequests, "Too many requests for this client");
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task Open_reads_still_refuse_a_wrong_key_and_every_mutation_without_an_operator_key()
    {
        await ApiTests.AssertProblemAsync(await _host.Client("wrong").GetAsync("/api/v1/channels"), HttpStatusCode.Unauthorized, "not valid");
        await ApiTests.AssertProblemAsync(await _host.Client().PostAsync("/api/v1/channels/any/pause", null), HttpStatusCode.Unauthorized, "X-Api-Key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await _host.Client().GetAsync("/metrics")).StatusCode);
    }
}
