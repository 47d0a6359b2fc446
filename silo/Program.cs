using SignalFlow.Silo.Api;
using SignalFlow.Silo.Backtest;
using SignalFlow.Silo.Feeds;
using SignalFlow.Silo.Health;
using SignalFlow.Silo.Hosting;
using SignalFlow.Silo.Notifications;
using SignalFlow.Silo.Telemetry;

if (args is ["backtest", .. var backtestArgs])
{
    return await BacktestCommand.RunAsync(backtestArgs, Console.Out, Console.Error);
}

if (args is ["optimize", .. var optimizeArgs])
{
    return await OptimizeCommand.RunAsync(optimizeArgs, Console.Out, Console.Error);
}

// Configuration ships beside the binary; the working directory stays the caller's (see RunWorkingDirectory in the
// project), so relative paths given on the command line mean what the user typed.
WebApplication app;
try
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.Services.AddSignalFlowLogging(builder.Configuration);
    builder.AddSignalFlowSilo();
    builder.Services.AddSignalFlowStrategies(builder.Configuration);
    builder.Services.AddSignalFlowValidation(builder.Configuration);
    builder.Services.AddSignalFlowNotifications(builder.Configuration);
    builder.Services.AddSignalFlowFeeds(builder.Configuration);
    builder.Services.AddSignalFlowApi();
    builder.Services.AddSignalFlowTelemetry();
    app = builder.Build();
}
catch (Exception e) when (StartupFailure.Describe(e, configuring: true) is { } problem)
{
    await Console.Error.WriteLineAsync(problem);
    return StartupFailure.ExitCode;
}

app.MapSignalFlowApi();
app.MapSignalFlowHealth();
app.MapSignalFlowTelemetry();
try
{
    await app.RunAsync();
}
catch (Exception e) when (StartupFailure.Describe(e) is { } problem)
{
    await Console.Error.WriteLineAsync(problem);
    return StartupFailure.ExitCode;
}

// Non-zero when the silo stopped itself, e.g. MembershipTableWatch.MissingFromTableExitCode.
return Environment.ExitCode;
