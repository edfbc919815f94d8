namespace RecFramework.Tests.Data;

/// <summary>A temporary directory deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "recfw-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Write(string name, string content)
    {
        var path = System.IO.Path.Combine(Path, name);
        File.WriteAllText(path, content);
        return path;
    }

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

    /// <summary>The shared ML-100K folder when present (../shared/datasets/ml-100k from the repo root), else null.</summary>
    public static string? MovieLensDirectory()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "..", "shared", "datasets", "ml-100k");
            if (File.Exists(System.IO.Path.Combine(candidate, "u.data")) && File.Exists(System.IO.Path.Combine(dir.FullName, "RecFramework.sln")))
            {
                return System.IO.Path.GetFullPath(candidate);
            }

            dir = dir.Parent;
        }

        return null;
    }
}
