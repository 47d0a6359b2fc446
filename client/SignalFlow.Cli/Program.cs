using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SignalFlow.Cli;
using SignalFlow.Client;

CliArguments command;
try
{
    command = CliArguments.Parse(args);
}
catch (CliUsageException ex)
{
    await Console.Error.WriteLineAsync($"signalflow: {ex.Message}{Environment.NewLine}{CliArguments.Usage}");
    return 2;
}

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
builder.Configuration.AddEnvironmentVariables();
var options = command.ApplyTo(builder.Configuration.GetSection(SignalFlowClientOptions.Section).Get<SignalFlowClientOptions>() ?? new());
try
{
    builder.AddSignalFlowClient(options);
}
catch (InvalidOperationException ex)
{
    await Console.Error.WriteLineAsync($"signalflow: {ex.Message}{Environment.NewLine}{CliArguments.Usage}");
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

using var host = builder.Build();
try
{
    await host.StartAsync(cancel.Token);
    var client = host.Services.GetRequiredService<SignalFlowClient>();
    switch (command.Verb)
    {
        case CliVerb.Status:
            foreach (var line in CliOutput.Status(await client.GetStatusAsync()))
            {
                Console.WriteLine(line);
            }

            break;
        case CliVerb.SignalsList:
            foreach (var signal in await client.SearchSignalsAsync(command.Search))
            {
                Console.WriteLine(CliOutput.Signal(signal));
            }

            break;
        case CliVerb.SignalsWatch:
            await foreach (var signal in client.WatchSignalsAsync(command.Search, command.Interval, command.Lookback, cancel.Token))
            {
                Console.WriteLine(CliOutput.Signal(signal));
            }

            break;
    }

    return 0;
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    return 0;
}
catch (Exception ex)
{
    // The exception's own text names the cluster or gateway, never the Redis configuration string.
    await Console.Error.WriteLineAsync($"signalflow: {ex.GetType().Name}: {ex.Message}");
    return 1;
}
finally
{
    await host.StopAsync(TimeSpan.FromSeconds(5));
}
