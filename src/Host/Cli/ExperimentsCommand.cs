using System.CommandLine;
using RecFramework.Experiments.Operations;

namespace RecFramework.Host.Cli;

/// <summary>
/// <c>experiments</c>: lifecycle operations on the experiment store, the same ones as the <c>/admin</c> endpoints
/// (<see cref="ExperimentOperations"/>): start, stop, launch, close-reverse, rotate-holdout, and the audit trail.
/// Running replicas pick a change up at their next poll. A refused change prints the reason (every validation failure
/// on its own line) and exits with code 2.
/// </summary>
internal sealed class ExperimentsCommand : ICliCommand
{
    private readonly Option<string?> _store = new("--store") { Description = "Experiment store file, for the File backend (default RecFramework:ExperimentStore:Path, data/experiments.json). With RecFramework:ExperimentStore:Backend Redis the CLI reaches the store through RecFramework:Stores:Redis." };
    private readonly Option<string?> _config = new("--config") { Description = "JSON configuration (appsettings format) whose RecFramework:Experiments section seeds an empty store." };
    private readonly Option<bool> _dryRun = new("--dry-run") { Description = "Validate and count the users the change moves; write nothing." };
    private readonly Option<long?> _expectedVersion = new("--expected-version") { Description = "Refuse the change unless the store is at this version." };
    private readonly Option<long> _usersFrom = new("--users-from") { Description = "First user id counted by the impact.", DefaultValueFactory = _ => ExperimentChangeRequest.DefaultUserIdFrom };
    private readonly Option<long> _usersTo = new("--users-to") { Description = "Last user id counted by the impact.", DefaultValueFactory = _ => ExperimentChangeRequest.DefaultUserIdTo };
    private readonly Option<string> _key = new("--key") { Description = "Who makes the change, as the audit trail names it.", DefaultValueFactory = _ => "cli:" + Environment.UserName };
    private readonly Option<string?> _json = new("--json") { Description = "Also write the result as JSON here." };

    public Command Create()
    {
        var command = new Command("experiments", """
            Lifecycle operations on the experiment store (docs/experiments.md): start, stop, launch, close-reverse,
            rotate-holdout, audit. Each change is validated like a reload, written as the next store version with an
            audit entry, and picked up by every running replica; --dry-run counts the users it would move over the
            user-id range --users-from..--users-to and writes nothing.
            """);
        var name = new Argument<string>("experiment") { Description = "The experiment's name." };
        var variant = new Option<string>("--variant") { Description = "The variant to launch.", Required = true };
        var reverseShare = new Option<double>("--reverse-share") { Description = "Share of all users kept on the old default (reverse bucket), in [0, 1).", DefaultValueFactory = _ => 0 };
        var salt = new Option<string?>("--salt") { Description = "The new holdout salt (default: the current one with -r<next store version>)." };

        command.Add(Operation("start", "Start a stopped experiment.", [name], (ops, r, req, ct) => ops.StartAsync(r.GetValue(name)!, req, ct)));
        command.Add(Operation("stop", "Stop a running experiment.", [name], (ops, r, req, ct) => ops.StopAsync(r.GetValue(name)!, req, ct)));
        command.Add(Operation(
            "launch", "Launch a variant: the layer default for non-holdout users, except a reverse bucket of --reverse-share.", [name, variant, reverseShare],
            (ops, r, req, ct) => ops.LaunchAsync(r.GetValue(name)!, r.GetValue(variant)!, r.GetValue(reverseShare), req, ct)));
        command.Add(Operation("close-reverse", "Close a launched experiment's reverse bucket.", [name], (ops, r, req, ct) => ops.CloseReverseBucketAsync(r.GetValue(name)!, req, ct)));
        command.Add(Operation("rotate-holdout", "Rotate the holdout: a new salt, the same share.", [salt], (ops, r, req, ct) => ops.RotateHoldoutAsync(r.GetValue(salt), req, ct)));
        command.Add(Audit());
        return command;
    }

    private Command Operation(
        string verb, string description, Symbol[] symbols, Func<ExperimentOperations, ParseResult, ExperimentChangeRequest, CancellationToken, Task<ExperimentOperationResult>> run)
    {
        var command = new Command(verb, description) { _store, _config, _dryRun, _expectedVersion, _usersFrom, _usersTo, _key, _json };
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Argument argument:
                    command.Add(argument);
                    break;
                case Option option:
                    command.Add(option);
                    break;
            }
        }

        command.SetAction((result, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            await using var services = Services(result);
            var request = new ExperimentChangeRequest
            {
                DryRun = result.GetValue(_dryRun),
                ExpectedVersion = result.GetValue(_expectedVersion),
                Key = result.GetValue(_key)!,
                UserIdFrom = result.GetValue(_usersFrom),
                UserIdTo = result.GetValue(_usersTo),
            };
            try
            {
                var outcome = await run(services.GetRequiredService<ExperimentOperations>(), result, request, cancellationToken).ConfigureAwait(false);
                foreach (var line in outcome.Describe())
                {
                    Console.WriteLine(line);
                }

                if (result.GetValue(_json) is { } json)
                {
                    await outcome.WriteJsonAsync(json, cancellationToken).ConfigureAwait(false);
                }

                return 0;
            }
            catch (ExperimentOperationException ex)
            {
                return await CliErrors.FailAsync($"error ({ex.Error}): {ex.Message}", ex.Failures).ConfigureAwait(false);
            }
        }));
        return command;
    }

    private Command Audit()
    {
        var command = new Command("audit", "Print the store's version and audit trail (when, operation, target, key, configuration versions).") { _store, _config, _json };
        command.SetAction((result, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            await using var services = Services(result);
            var trail = await ExperimentAuditTrail.ReadAsync(services.GetRequiredService<IExperimentStore>(), cancellationToken).ConfigureAwait(false);
            foreach (var line in trail.Describe())
            {
                Console.WriteLine(line);
            }

            if (result.GetValue(_json) is { } json)
            {
                await trail.WriteJsonAsync(json, cancellationToken).ConfigureAwait(false);
            }

            return 0;
        }));
        return command;
    }

    private ServiceProvider Services(ParseResult result)
    {
        var overrides = new Dictionary<string, string?>();
        if (result.GetValue(_store) is { } store)
        {
            overrides[ExperimentStoreOptions.Section + ":" + nameof(ExperimentStoreOptions.Path)] = Path.GetFullPath(store);
        }

        var configuration = HostComposition.LoadConfiguration(result.GetValue(_config), overrides);
        var services = new ServiceCollection();
        services.AddLogging(); // no providers: the CLI prints its own output
        services.AddRecFrameworkHost(configuration).AddExperimentStore();
        return services.BuildServiceProvider();
    }
}
