using Microsoft.Extensions.Configuration;
using RecFramework.AspNetCore.Hosting;

namespace RecFramework.AspNetCore.Tests.Hosting;

/// <summary>Where a deployment's configuration comes from: a JSON file, then RECFW_ environment variables, then overrides.</summary>
public sealed class ServiceConfigurationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("recfw-service-config-").FullName;
    private readonly string _key = "Test" + Guid.NewGuid().ToString("N");

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(ServiceConfiguration.EnvironmentPrefix + _key + "__FromEnv", null);
        Environment.SetEnvironmentVariable(ServiceConfiguration.EnvironmentPrefix + _key + "__Both", null);
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void TheFileThenPrefixedEnvironmentVariablesThenOverridesApplyInThatOrder()
    {
        var file = Path.Combine(_dir, "config.json");
        File.WriteAllText(file, $$"""{ "{{_key}}": { "FromFile": "file", "Both": "file", "Overridden": "file" } }""");
        Environment.SetEnvironmentVariable(ServiceConfiguration.EnvironmentPrefix + _key + "__FromEnv", "env");
        Environment.SetEnvironmentVariable(ServiceConfiguration.EnvironmentPrefix + _key + "__Both", "env");

        var configuration = ServiceConfiguration.Load(file, [new KeyValuePair<string, string?>(_key + ":Overridden", "override")]);

        Assert.Equal("file", configuration[_key + ":FromFile"]);
        Assert.Equal("env", configuration[_key + ":FromEnv"]);
        Assert.Equal("env", configuration[_key + ":Both"]);
        Assert.Equal("override", configuration[_key + ":Overridden"]);
        Assert.Null(configuration[ServiceConfiguration.EnvironmentPrefix + _key + ":FromEnv"]);
    }

    [Fact]
    public void AGivenFileMustExist()
    {
        var missing = Path.Combine(_dir, "no-such.json");

        var ex = Assert.Throws<FileNotFoundException>(() => new ConfigurationBuilder().AddRecFrameworkSources(missing).Build());

        Assert.Contains("no-such.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutAFileOnlyTheEnvironmentIsAdded()
    {
        Environment.SetEnvironmentVariable(ServiceConfiguration.EnvironmentPrefix + _key + "__FromEnv", "env");

        var configuration = new ConfigurationBuilder().AddRecFrameworkSources().Build();

        Assert.Equal("env", configuration[_key + ":FromEnv"]);
        Assert.Null(configuration[_key + ":FromFile"]);
    }
}
