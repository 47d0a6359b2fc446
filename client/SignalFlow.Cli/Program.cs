using System.CommandLine;
using SignalFlow.Cli;

// SIGTERM and Ctrl+C cancel the command's token; a command still running 5 s later is ended.
return await CliCommands.RunAsync(args, new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(5) });
