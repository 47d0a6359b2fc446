using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace SignalFlow.Cli;

/// <summary>
/// <c>signalflow strategies</c>: the runtime strategy set through the silo's HTTP API (<c>/api/v1/strategies</c>),
/// which checks every change with the strategies file's rules and requires an operator key for it. Over HTTP rather
/// than the Orleans gateway so that the API's key and role checks apply to strategy changes.
/// </summary>
public static class StrategiesCommand
{
    public const string DefaultApiUrl = "http://localhost:8080";
    public const string ApiUrlVariable = "SIGNALFLOW_API_URL";
    public const string ApiKeyVariable = "SIGNALFLOW_API_KEY";

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private static readonly Option<string> UrlOption = new("--url")
    {
        Description = $"The silo's HTTP address (else {ApiUrlVariable}, else {DefaultApiUrl})",
        Recursive = true,
    };

    private static readonly Option<string> ApiKeyOption = new("--api-key")
    {
        Description = $"Sent as X-Api-Key (else {ApiKeyVariable}); reading needs a reader or operator key unless reads are open, changes an operator key",
        Recursive = true,
    };

    public static Command Create(Func<TextReader> input)
    {
        var json = new Option<bool>("--json") { Description = "Print the set as the API returns it: a strategies file" };
        var list = new Command("list", "The runtime strategy set: id, kind, series and settings of each strategy") { json };
        list.SetAction((parse, ct) => RunAsync(parse, ct, async (api, output) =>
        {
            var body = await api.SendAsync(HttpMethod.Get, "", null, ct);
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(body);
                return;
            }

            using var document = JsonDocument.Parse(body);
            foreach (var line in Table(document.RootElement))
            {
                await output.WriteLineAsync(line);
            }
        }));

        var showId = IdArgument("The strategy to show");
        var show = new Command("show", "One strategy as its strategies-file entry (JSON)") { showId };
        show.SetAction((parse, ct) => RunAsync(parse, ct, async (api, output) =>
            await output.WriteLineAsync(Indented(await api.SendAsync(HttpMethod.Get, Path(parse.GetRequiredValue(showId)), null, ct)))));

        var createFile = FileOption();
        var create = new Command("create", "Adds a strategy from a strategies-file entry (JSON object); it starts at once, warmed up from the stored candles. Operator key.")
        {
            createFile,
        };
        create.SetAction((parse, ct) => RunAsync(parse, ct, async (api, output) =>
            await ReportChangeAsync(output, "created", await api.SendAsync(HttpMethod.Post, "", await ReadEntryAsync(parse.GetValue(createFile), input), ct))));

        var replaceId = IdArgument("The strategy to replace (the entry's id must be the same)");
        var replaceFile = FileOption();
        var replace = new Command("replace", "Replaces a strategy with a whole strategies-file entry; changed windows warm up again from the stored candles. Operator key.")
        {
            replaceId, replaceFile,
        };
        replace.SetAction((parse, ct) => RunAsync(parse, ct, async (api, output) =>
            await ReportChangeAsync(output, "replaced",
                await api.SendAsync(HttpMethod.Put, Path(parse.GetRequiredValue(replaceId)), await ReadEntryAsync(parse.GetValue(replaceFile), input), ct))));

        var deleteId = IdArgument("The strategy to remove");
        var delete = new Command("delete", "Removes a strategy; it stops at once. Operator key.") { deleteId };
        delete.SetAction((parse, ct) => RunAsync(parse, ct, async (api, output) =>
            await ReportChangeAsync(output, "deleted", await api.SendAsync(HttpMethod.Delete, Path(parse.GetRequiredValue(deleteId)), null, ct))));

        return new Command("strategies", "The runtime strategy set, over the HTTP API: list, show, create, replace, delete (changes take effect without a restart)")
        {
            UrlOption, ApiKeyOption, list, show, create, replace, delete,
        };
    }

    private static Argument<string> IdArgument(string description) => new("id") { Description = description };

    private static Option<string> FileOption() => new("--file")
    {
        Description = "A JSON file holding one strategy object (the shape of a strategies-file entry); '-' or no --file: standard input",
    };

    private static string Path(string id) => $"/{Uri.EscapeDataString(id)}";

    private static async Task<string> ReadEntryAsync(string? file, Func<TextReader> input)
    {
        if (file is null or "-")
        {
            return await input().ReadToEndAsync();
        }

        try
        {
            return await File.ReadAllTextAsync(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"--file '{file}' cannot be read: {e.Message}");
        }
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken, Func<StrategiesApi, TextWriter, Task> body)
    {
        var error = parse.InvocationConfiguration.Error;
        var url = parse.GetValue(UrlOption) ?? Environment.GetEnvironmentVariable(ApiUrlVariable) ?? DefaultApiUrl;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
        {
            return await CliCommands.UsageErrorAsync(error, [$"--url '{url}' is not an http(s) URL."]);
        }

        using var http = new HttpClient { Timeout = RequestTimeout };
        if ((parse.GetValue(ApiKeyOption) ?? Environment.GetEnvironmentVariable(ApiKeyVariable)) is { Length: > 0 } key)
        {
            http.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        try
        {
            await body(new StrategiesApi(http, new Uri(baseUri, "/api/v1/strategies")), parse.InvocationConfiguration.Output);
            return CliCommands.Ok;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return CliCommands.Ok;
        }
        catch (CliUsageException e)
        {
            return await CliCommands.UsageErrorAsync(error, [e.Message]);
        }
        catch (CliFailureException e)
        {
            await error.WriteLineAsync($"signalflow: {e.Message}");
            return CliCommands.Failure;
        }
    }

    private static async Task ReportChangeAsync(TextWriter output, string verb, string body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var id = root.GetProperty("strategy").GetProperty("id").GetString();
        await output.WriteLineAsync($"{id}: {verb}");
        foreach (var warning in root.GetProperty("warnings").EnumerateArray())
        {
            await output.WriteLineAsync($"  warning: {warning.GetString()}");
        }

        foreach (var series in root.GetProperty("series").EnumerateArray())
        {
            var strategies = series.GetProperty("strategies").EnumerateArray()
                .Select(s => $"{s.GetProperty("id").GetString()}{(s.GetProperty("ready").GetBoolean() ? "" : " (warming up)")}")
                .ToList();
            await output.WriteLineAsync($"  {series.GetProperty("series").GetString()} now runs: {(strategies.Count == 0 ? "nothing" : string.Join(", ", strategies))}");
        }

        foreach (var failed in root.GetProperty("failed").EnumerateArray())
        {
            await output.WriteLineAsync($"  {failed.GetProperty("series").GetString()} did not answer ({failed.GetProperty("error").GetString()}); it takes the change at its next activation");
        }
    }

    private static IEnumerable<string> Table(JsonElement strategies)
    {
        var rows = strategies.EnumerateArray().ToList();
        if (rows.Count == 0)
        {
            yield return "No strategies configured.";
            yield break;
        }

        yield return $"{"ID",-24} {"KIND",-18} {"SERIES",-12} SETTINGS";
        foreach (var row in rows)
        {
            var settings = row.EnumerateObject()
                .Where(p => p.Name is not ("id" or "kind" or "instrument" or "timeframe"))
                .Select(p => $"{p.Name}={(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText())}");
            yield return string.Create(CultureInfo.InvariantCulture,
                $"{row.GetProperty("id").GetString(),-24} {row.GetProperty("kind").GetString(),-18} {row.GetProperty("instrument").GetString() + "_" + row.GetProperty("timeframe").GetString(),-12} {string.Join(' ', settings)}");
        }
    }

    private static string Indented(string json)
    {
        using var document = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(document.RootElement, new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>The API's answers made into output or a <see cref="CliFailureException"/> that says what to do.</summary>
    private sealed class StrategiesApi(HttpClient http, Uri root)
    {
        public async Task<string> SendAsync(HttpMethod method, string path, string? body, CancellationToken cancellationToken)
        {
            using var request = new HttpRequestMessage(method, new Uri(root + path));
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
            }

            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                throw new CliFailureException($"cannot reach the SignalFlow API at {root.GetLeftPart(UriPartial.Authority)}: {e.Message} (set --url or {ApiUrlVariable}).");
            }

            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                return response.IsSuccessStatusCode ? text : throw new CliFailureException(Problem(response.StatusCode, text));
            }
        }

        private static string Problem(HttpStatusCode status, string body)
        {
            var lines = new List<string>();
            try
            {
                using var problem = JsonDocument.Parse(body);
                if (problem.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
                {
                    lines.Add("the strategy is not valid:");
                    lines.AddRange(errors.EnumerateObject().SelectMany(e => e.Value.EnumerateArray().Select(m => $"  {e.Name}: {m.GetString()}")));
                }
                else if (problem.RootElement.TryGetProperty("detail", out var detail))
                {
                    lines.Add(detail.GetString() ?? "");
                }
            }
            catch (JsonException)
            {
                lines.Add(body.Length > 200 ? body[..200] : body);
            }

            var hint = status switch
            {
                HttpStatusCode.Unauthorized => $" (give a key with --api-key or {ApiKeyVariable})",
                HttpStatusCode.Forbidden => " (changes need a key of role operator)",
                _ => "",
            };
            return $"HTTP {(int)status} {status}: {string.Join(Environment.NewLine, lines)}{hint}";
        }
    }
}

/// <summary>The command line asks for something impossible (an unreadable file, ...): exit code 2.</summary>
public sealed class CliUsageException(string message) : Exception(message);
