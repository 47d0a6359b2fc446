using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace SignalFlow.Benchmarks;

/// <summary>
/// A local webhook endpoint on loopback that answers 204 at once and records when each signal id arrived, so the
/// time from a signal's hand-over to its delivery can be measured in the same process.
/// </summary>
internal sealed class WebhookSink : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> _arrivals = new(StringComparer.Ordinal);
    private readonly Task _loop;

    private WebhookSink(int port)
    {
        Url = $"http://127.0.0.1:{port}/hook/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public string Url { get; }

    public static WebhookSink Start() => new(SignalFlow.Silo.Hosting.LoopbackPort.Free());

    /// <summary>Completes with the <see cref="Stopwatch"/> timestamp at which the signal's request arrived.</summary>
    public Task<long> ArrivalOf(string signalId) => Arrival(signalId).Task;

    private TaskCompletionSource<long> Arrival(string signalId) =>
        _arrivals.GetOrAdd(signalId, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));

    private async Task AcceptAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var arrived = Stopwatch.GetTimestamp();
            using (var body = await JsonDocument.ParseAsync(context.Request.InputStream))
            {
                foreach (var id in SignalIds(body.RootElement))
                {
                    Arrival(id).TrySetResult(arrived);
                }
            }

            context.Response.StatusCode = (int)HttpStatusCode.NoContent;
            context.Response.Close();
        }
    }

    /// <summary>Every <c>id</c> string property in the payload, wherever the webhook format nests its signals.</summary>
    private static IEnumerable<string> SignalIds(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.NameEquals("id") && property.Value.ValueKind == JsonValueKind.String)
                    {
                        yield return property.Value.GetString()!;
                    }
                    else
                    {
                        foreach (var id in SignalIds(property.Value))
                        {
                            yield return id;
                        }
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    foreach (var id in SignalIds(item))
                    {
                        yield return id;
                    }
                }

                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
