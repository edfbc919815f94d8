namespace RecFramework.Data;

/// <summary>
/// Loads a dataset from a path: a directory containing <c>u.data</c> is MovieLens-100K; a directory containing
/// <c>interactions.csv</c> or <c>interactions.tsv</c> (with optional <c>users.csv|tsv</c> and <c>items.csv|tsv</c>) or a
/// single file is a generic log (<see cref="DelimitedInteractionLoader"/>).
/// </summary>
public static class DatasetLoader
{
    /// <summary>Loads the dataset at <paramref name="path"/>.</summary>
    /// <exception cref="RecFrameworkException">The path does not exist, holds no known layout, or a row is malformed (when not skipping).</exception>
    public static InteractionDataset Load(string path, LoadOptions? options = null) => Load(path, options, out _);

    /// <summary>Loads the dataset at <paramref name="path"/>, reporting accepted and skipped rows.</summary>
    /// <exception cref="RecFrameworkException">The path does not exist, holds no known layout, or a row is malformed (when not skipping).</exception>
    public static InteractionDataset Load(string path, LoadOptions? options, out LoadReport report)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= LoadOptions.Strict;
        if (File.Exists(path))
        {
            return DelimitedInteractionLoader.Load(path, null, null, null, options, out report);
        }

        if (!Directory.Exists(path))
        {
            throw new RecFrameworkException(RecError.InvalidArgument, $"Dataset path '{path}' does not exist (resolved to '{Path.GetFullPath(path)}').");
        }

        if (File.Exists(Path.Combine(path, "u.data")))
        {
            return MovieLens100K.Load(path, options, out report);
        }

        var interactions = FirstExisting(path, "interactions")
            ?? throw new RecFrameworkException(RecError.InvalidArgument,
                $"Dataset directory '{path}' holds neither u.data (MovieLens-100K) nor interactions.csv / interactions.tsv.");
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)));
        return DelimitedInteractionLoader.Load(interactions, FirstExisting(path, "users"), FirstExisting(path, "items"), name, options, out report);
    }

    private static string? FirstExisting(string directory, string stem)
    {
        foreach (var extension in new[] { ".csv", ".tsv" })
        {
            var candidate = Path.Combine(directory, stem + extension);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
