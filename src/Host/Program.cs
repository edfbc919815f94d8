using RecFramework.Host.Cli;

return await CliApp.RunAsync(args).ConfigureAwait(false);
