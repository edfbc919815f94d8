using System.CommandLine;

namespace RecFramework.Host.Cli;

/// <summary>One top-level CLI command. Implementations in this assembly are discovered by <see cref="CliApp"/>.</summary>
internal interface ICliCommand
{
    /// <summary>Builds the command with its options and action.</summary>
    Command Create();
}
