namespace RecFramework.Host.Tests;

/// <summary>
/// Tests that run the CLI in-process and read its standard error swap the process-wide <see cref="Console.Error"/>;
/// two of them at once would read each other's output (CI once failed both), so they run one at a time.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ConsoleCollection
{
    public const string Name = "in-process CLI (Console.Error)";
}
