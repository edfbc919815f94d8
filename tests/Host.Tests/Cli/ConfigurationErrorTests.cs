using System.Diagnostics;
using System.Text;

namespace RecFramework.Host.Tests.Cli;

/// <summary>
/// Issue 21 case 8: a verb given an invalid configuration or a config file that does not parse prints
/// "invalid configuration:" and the named failures, no stack trace, and exits with code 2. Runs the real executable.
/// </summary>
public sealed class ConfigurationErrorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("recfw-cli-config-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string Write(string json)
    {
        var path = Path.Combine(_dir, "config.json");
        File.WriteAllText(path, json);
        return path;
    }

    private Task<(int Code, string Output)> RunAsync(params string[] args) => HostExecutable.RunAsync(_dir, ownStores: true, args);

    private static void AssertNoStackTrace(string output) =>
        Assert.DoesNotContain(output.Split('\n'), line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal));

    [Fact]
    public async Task ServeWithAnInvalidConfigurationPrintsTheNamedFailuresAndExitsTwo()
    {
        var config = Write("""{ "RecFramework": { "Experiments": { "BucketCount": 0 } } }""");

        var (code, output) = await RunAsync("serve", "--config", config, "--urls", "http://127.0.0.1:0", "--no-build");

        Assert.True(code == 2, output);
        Assert.Contains("invalid configuration:", output, StringComparison.Ordinal);
        Assert.Contains("BucketCount = 0", output, StringComparison.Ordinal);
        AssertNoStackTrace(output);
    }

    [Theory]
    [InlineData("serve", "--urls", "http://127.0.0.1:0", "--no-build")]
    [InlineData("build", "itemcf", "--data", "no-such-data")]
    public async Task AVerbWithATruncatedConfigurationFilePrintsTheParseErrorAndExitsTwo(params string[] verb)
    {
        var config = Write("""{ "RecFramework": { "Experiments": """);

        var (code, output) = await RunAsync([.. verb, "--config", config]);

        Assert.True(code == 2, output);
        Assert.Contains("invalid configuration:", output, StringComparison.Ordinal);
        Assert.Contains("config.json", output, StringComparison.Ordinal);
        Assert.Contains("LineNumber", output, StringComparison.Ordinal);
        AssertNoStackTrace(output);
    }
}
