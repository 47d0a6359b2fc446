using System.Net;

namespace SignalFlow.Tests.Api;

/// <summary><c>GET /api/v1/key</c>: a client (the web app) learns its key's name and role; without a valid key, 401.</summary>
public sealed class KeyEndpointTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Theory]
    [InlineData(ApiHost.ReaderKey, "reporting", "reader")]
    [InlineData(ApiHost.OperatorKey, "ops", "operator")]
    public async Task A_key_learns_its_name_and_role(string key, string name, string role)
    {
        var answer = await ApiHost.JsonAsync(await fixture.Host.Client(key).GetAsync("/api/v1/key"));

        Assert.Equal(name, answer.GetProperty("name").GetString());
        Assert.Equal(role, answer.GetProperty("role").GetString());
    }

    [Fact]
    public async Task Without_a_valid_key_the_answer_is_401_even_where_reads_are_open()
    {
        await using var open = new ApiHost(new Dictionary<string, string?> { ["SignalFlow:Api:OpenReads"] = "true" });

        await ApiTests.AssertProblemAsync(await open.Client().GetAsync("/api/v1/key"), HttpStatusCode.Unauthorized, "X-Api-Key");
        await ApiTests.AssertProblemAsync(await open.Client("not-a-key").GetAsync("/api/v1/key"), HttpStatusCode.Unauthorized, "not valid");
        Assert.Equal(HttpStatusCode.OK, (await open.Client().GetAsync("/api/v1/signals")).StatusCode);
    }
}
