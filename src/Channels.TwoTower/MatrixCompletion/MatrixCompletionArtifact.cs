using System.Text.Json;
using RecFramework.Artifacts;
using RecFramework.Channels.TwoTower.Serving;
using RecFramework.Vectors;

namespace RecFramework.Channels.TwoTower.MatrixCompletion;

/// <summary>
/// A loaded matrix-completion artifact: the options it was trained with, the user embeddings (looked up by id at
/// request time) and the index of item embeddings. The files share the two-tower layout and formats
/// (<see cref="VectorFile"/>, <see cref="TwoTowerArtifact.IndexFile"/>), so the same tools read both.
/// </summary>
internal sealed class MatrixCompletionArtifact : IDisposable
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public required string Version { get; init; }

    public required int Dimension { get; init; }

    /// <summary>Row of each known user in <see cref="UserVectors"/>.</summary>
    public required Dictionary<long, int> UserRowOf { get; init; }

    /// <summary>[users * Dimension] user embeddings, row-major.</summary>
    public required float[] UserVectors { get; init; }

    public required IVectorIndex Index { get; init; }

    /// <summary>Writes options, user and item embeddings and the item index into <paramref name="directory"/>.</summary>
    public static void Write(string directory, MatrixCompletionOptions options, MatrixCompletionTrainer.Result trained, IVectorIndexFactory indexFactory, int seed)
    {
        File.WriteAllText(Path.Combine(directory, TwoTowerArtifact.OptionsFile), JsonSerializer.Serialize(options, JsonOptions));
        VectorFile.Write(Path.Combine(directory, TwoTowerArtifact.UserVectorsFile), options.Dimension, trained.Users, trained.UserVectors);
        VectorFile.Write(Path.Combine(directory, TwoTowerArtifact.ItemVectorsFile), options.Dimension, trained.Items, trained.ItemVectors);
        using var index = indexFactory.Build(options.IndexDescription, options.Dimension, trained.ItemVectors, trained.Items, seed);
        index.Save(Path.Combine(directory, TwoTowerArtifact.IndexFile));
    }

    /// <summary>Loads a published version; a missing or damaged file is <see cref="RecError.ArtifactCorrupt"/>.</summary>
    public static MatrixCompletionArtifact Load(ArtifactHandle handle, IVectorIndexFactory indexFactory)
    {
        string PathOf(string file)
        {
            var path = handle.PathOf(file);
            return File.Exists(path) ? path : throw new RecFrameworkException(RecError.ArtifactCorrupt, $"Matrix-completion artifact {handle.Directory} lacks {file}.");
        }

        var (dimension, users, vectors) = ArtifactFileLoad.Read(PathOf(TwoTowerArtifact.UserVectorsFile), VectorFile.Read);
        var index = ArtifactFileLoad.Read(PathOf(TwoTowerArtifact.IndexFile), indexFactory.Load);
        if (index.Dimension != dimension)
        {
            index.Dispose();
            throw new RecFrameworkException(RecError.ArtifactCorrupt, $"Matrix-completion artifact {handle.Directory}: user vectors have dimension {dimension}, the item index {index.Dimension}.");
        }

        var rows = new Dictionary<long, int>(users.Length);
        for (var i = 0; i < users.Length; i++)
        {
            rows[users[i]] = i;
        }

        return new MatrixCompletionArtifact { Version = handle.Manifest.Version, Dimension = dimension, UserRowOf = rows, UserVectors = vectors, Index = index };
    }

    /// <summary>The embedding of <paramref name="userId"/>, or null for a user unseen in training.</summary>
    public float[]? UserVector(long userId) =>
        UserRowOf.TryGetValue(userId, out var row) ? UserVectors.AsSpan(row * Dimension, Dimension).ToArray() : null;

    public void Dispose() => Index.Dispose();
}
