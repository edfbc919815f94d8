namespace RecFramework.Docs.Tests;

/// <summary>Where the repository is, seen from a test's output folder.</summary>
internal static class RepositoryLayout
{
    /// <summary>The folder holding RecFramework.sln.</summary>
    public static string Root()
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
