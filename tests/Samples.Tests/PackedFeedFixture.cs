using System.Diagnostics;

namespace RecFramework.Samples.Tests;

/// <summary>
/// Packs the src libraries once per test run into a fresh local feed with a unique pre-release version. Consumers
/// restore into <see cref="Packages"/> (never the global packages folder, which only serves third-party packages as a
/// read-only fallback), so runs never see each other's packages and nothing of ours lands in the global cache.
/// </summary>
public sealed class PackedFeedFixture : IAsyncLifetime
{
    /// <summary>The run's scratch folder (deleted at the end unless a test asked to keep it).</summary>
    public string Work { get; } = Directory.CreateTempSubdirectory("rf-sample-").FullName;

    /// <summary>The version of every package of this run.</summary>
    public string Version { get; } =
        $"{RepositoryLayout.VersionPrefix()}-sampletest.{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Environment.ProcessId}";

    /// <summary>The local feed, at <c>out/packages</c> under <see cref="Work"/> as the sample's nuget.config expects.</summary>
    public string Feed => Path.Combine(Work, "out", "packages");

    /// <summary>The packages folder consumers restore into.</summary>
    public string Packages => Path.Combine(Work, "packages");

    /// <summary>How long packing took.</summary>
    public TimeSpan PackTime { get; private set; }

    /// <summary>Set by a failing test so the folder survives for inspection.</summary>
    public bool Keep { get; set; }

    public async Task InitializeAsync()
    {
        var library = Path.Combine(RepositoryLayout.Root, "src", "Framework", "bin", RepositoryLayout.Configuration, "net10.0", "RecFramework.dll");
        if (!File.Exists(library))
        {
            throw new InvalidOperationException($"{library} is missing: build the solution in {RepositoryLayout.Configuration} first (the packages are packed from the build output).");
        }

        var clock = Stopwatch.StartNew();
        await ChildProcess.RunDotnetAsync(RepositoryLayout.Root, TimeSpan.FromMinutes(3),
            "pack", "RecFramework.Packages.slnf", "-c", RepositoryLayout.Configuration, "--no-build", "-o", Feed,
            "--version-suffix", Version[(Version.IndexOf('-', StringComparison.Ordinal) + 1)..],
            $"-p:NuspecOutputPath={Path.Combine(Work, "nuspec")}", "-nologo");
        PackTime = clock.Elapsed;
    }

    /// <summary>
    /// Writes what <c>dotnet new web</c> and <c>dotnet add package</c> leave in <paramref name="directory"/>: a web
    /// project <paramref name="name"/>.csproj referencing <paramref name="packages"/> at this run's version (warnings as
    /// errors), and the consumer's <c>nuget.config</c>.
    /// </summary>
    public void WriteWebProject(string directory, string name, IEnumerable<string> packages)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
            {string.Join("\n", packages.Select(p => $"    <PackageReference Include=\"{p}\" Version=\"$(RecFrameworkVersion)\" />"))}
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "nuget.config"), NuGetConfig());
    }

    /// <summary>
    /// A consumer's <c>nuget.config</c>: this run's feed for <c>RecFramework*</c> (package source mapping), nuget.org for
    /// the rest, as the getting-started page tells users to set it up.
    /// </summary>
    public string NuGetConfig() => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <clear />
            <add key="recframework-local" value="{Feed}" />
            <add key="nuget" value="https://api.nuget.org/v3/index.json" />
          </packageSources>
          <packageSourceMapping>
            <packageSource key="recframework-local"><package pattern="RecFramework" /><package pattern="RecFramework.*" /></packageSource>
            <packageSource key="nuget"><package pattern="*" /></packageSource>
          </packageSourceMapping>
        </configuration>
        """;

    /// <summary>The arguments of a <c>dotnet build</c> (Release) of a consumer project against this feed.</summary>
    public string[] BuildArguments()
    {
        var arguments = new List<string>
        {
            "build", "-c", "Release", "-nologo", "--disable-build-servers", "-m:1",
            $"-p:RecFrameworkVersion={Version}", $"-p:RestorePackagesPath={Packages}",
        };
        var global = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (string.IsNullOrEmpty(global))
        {
            global = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        }

        if (Directory.Exists(global))
        {
            arguments.Add($"-p:RestoreAdditionalProjectFallbackFolders={global}");
        }

        return [.. arguments];
    }

    public Task DisposeAsync()
    {
        if (!Keep)
        {
            Directory.Delete(Work, recursive: true);
        }

        return Task.CompletedTask;
    }
}
