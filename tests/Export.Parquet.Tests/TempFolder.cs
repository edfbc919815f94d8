namespace RecFramework.Export.Parquet.Tests;

/// <summary>A temporary directory deleted on dispose, and the shared ML-100K folder.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("recfw-export-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The shared ML-100K folder (../shared/datasets/ml-100k from the repository root).</summary>
    public static string MovieLensDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "..", "shared", "datasets", "ml-100k");
            if (File.Exists(System.IO.Path.Combine(candidate, "u.data")) && File.Exists(System.IO.Path.Combine(dir.FullName, "RecFramework.sln")))
            {
                return System.IO.Path.GetFullPath(candidate);
            }
        }

        throw new InvalidOperationException("ML-100K is not in ../shared/datasets/ml-100k beside the repository.");
    }
}
