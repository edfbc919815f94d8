using System.Reflection;
using System.Xml.Linq;

namespace RecFramework.Samples.Tests;

/// <summary>Where the repository, the sample and the built libraries are, seen from the test's output folder.</summary>
internal static class RepositoryLayout
{
    /// <summary>The folder holding RecFramework.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The sample project's folder.</summary>
    public static string Sample => Path.Combine(Root, "samples", "FollowedAuthors");

    /// <summary>The configuration this test assembly was built in (the src libraries were built in the same one).</summary>
    public static string Configuration { get; } =
        typeof(RepositoryLayout).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    /// <summary>The version prefix set once in Directory.Build.props.</summary>
    public static string VersionPrefix()
    {
        var props = XDocument.Load(Path.Combine(Root, "Directory.Build.props"));
        return props.Descendants("VersionPrefix").Single().Value.Trim();
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RecFramework.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"RecFramework.sln not found above {AppContext.BaseDirectory}.");
    }
}
