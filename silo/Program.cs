using SignalFlow.Silo.Api;
using SignalFlow.Silo.Backtest;
using SignalFlow.Silo.Feeds;
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
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services.AddSignalFlowLogging(builder.Configuration);
builder.AddSignalFlowSilo();
builder.Services.AddSignalFlowStrategies(builder.Configuration);
builder.Services.AddSignalFlowNotifications(builder.Configuration);
builder.Services.AddSignalFlowFeeds(builder.Configuration);
builder.Services.AddSignalFlowApi();
builder.Services.AddSignalFlowTelemetry();

var app = builder.Build();
app.MapSignalFlowApi();
app.MapSignalFlowTelemetry();
await app.RunAsync();
return 0;
