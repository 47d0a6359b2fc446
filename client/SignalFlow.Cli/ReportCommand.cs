using System.CommandLine;

namespace SignalFlow.Cli;

/// <summary><c>signalflow report</c>: the performance summary, from each silo's Prometheus <c>/metrics</c>.</summary>
public static class ReportCommand
{
    public const string DefaultMetricsUrl = "http://localhost:8080/metrics";

    private static readonly TimeSpan ScrapeTimeout = TimeSpan.FromSeconds(10);

    public static Command Create()
    {
        var urls = new Option<string[]>("--metrics")
        {
            Description = $"A silo's metrics URL (repeatable, one per silo; default {DefaultMetricsUrl})",
            AllowMultipleArgumentsPerToken = false,
        };
        var interval = CliCommands.WithRange(new Option<int>("--interval")
        {
            Description = "Seconds between the two scrapes rates are measured over (0: totals only)",
            DefaultValueFactory = _ => 10,
        }, 0, 3600);
        var apiKey = new Option<string>("--api-key")
        {
            Description = "Sent as X-Api-Key when /metrics requires one (else SIGNALFLOW_API_KEY)",
        };
        var command = new Command("report",
            "Performance summary per silo: candle-to-signal and signal-to-delivery latency, signals per minute, errors, "
            + "delivery success rate, outbox depth, rate-limit hits, memory and CPU")
        {
            urls, interval, apiKey,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var targets = parse.GetValue(urls) is { Length: > 0 } given ? given : [DefaultMetricsUrl];
            if (targets.FirstOrDefault(u => !Uri.TryCreate(u, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) is { } bad)
            {
                return await CliCommands.UsageErrorAsync(parse.InvocationConfiguration.Error, [$"--metrics '{bad}' is not an http(s) URL."]);
            }

            using var http = new HttpClient { Timeout = ScrapeTimeout };
            if ((parse.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("SIGNALFLOW_API_KEY")) is { Length: > 0 } key)
            {
                http.DefaultRequestHeaders.Add("X-Api-Key", key);
            }

            try
            {
                var wait = TimeSpan.FromSeconds(parse.GetValue(interval));
                var first = await Task.WhenAll(targets.Select(u => ScrapeAsync(http, u, cancellationToken)));
                IReadOnlyList<MetricSample>[]? second = null;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, cancellationToken);
                    second = await Task.WhenAll(targets.Select(u => ScrapeAsync(http, u, cancellationToken)));
                }

                var output = parse.InvocationConfiguration.Output;
                for (var i = 0; i < targets.Length; i++)
                {
                    foreach (var line in PerformanceReport.Lines($"Silo {targets[i]}", first[i], second?[i], wait))
                    {
                        await output.WriteLineAsync(line);
                    }
                }

                if (targets.Length > 1)
                {
                    foreach (var line in PerformanceReport.Lines($"All {targets.Length} silos", [.. first.SelectMany(s => s)], second?.SelectMany(s => s).ToList(), wait))
                    {
                        await output.WriteLineAsync(line);
                    }
                }

                return CliCommands.Ok;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return CliCommands.Ok;
            }
            catch (CliFailureException e)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"signalflow: {e.Message}");
                return CliCommands.Failure;
            }
        });
        return command;
    }

    private static async Task<IReadOnlyList<MetricSample>> ScrapeAsync(HttpClient http, string url, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(url, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return response.IsSuccessStatusCode
                ? PrometheusText.Parse(text)
                : throw new CliFailureException($"cannot read metrics at {url}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        catch (Exception e) when (e is HttpRequestException or FormatException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new CliFailureException($"cannot read metrics at {url}: {e.Message}");
        }
    }
}
