using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using RecFramework.Artifacts;
using RecFramework.Channels.TwoTower.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace RecFramework.Channels.TwoTower.Serving;

/// <summary>
/// Incremental two-tower versions stored as a delta over their parent: an incremental update changes only id-embedding
/// rows (and the vectors of the users and items they belong to), so the version keeps the parent's files by reference
/// and stores what differs (<see cref="InfoFile"/> names the parent): the weight rows that changed or were appended
/// (<see cref="WeightsFile"/>), the encoded rows of users that changed or are new (<see cref="UsersFile"/>), and the
/// user and item vectors that changed or are new (<see cref="UserVectorsFile"/>, <see cref="ItemVectorsFile"/>).
/// Options and encoders are stored whole (they are small beside the tables). Loading composes the parent (itself
/// possibly a delta) with the delta; the item index is rebuilt from the composed item vectors. The parent is opened
/// through the file store, checksums verified: a delta whose parent is missing or corrupt is refused naming it.
/// </summary>
internal static class TwoTowerDelta
{
    public const string InfoFile = "delta.json";
    public const string WeightsFile = "weights.delta";
    public const string UsersFile = "users.delta";
    public const string UserVectorsFile = "user_vectors.delta";
    public const string ItemVectorsFile = "item_vectors.delta";

    /// <summary>The manifest property naming the version a delta is stored over (also read by retention).</summary>
    public const string DeltaOfProperty = ArtifactManifest.DeltaOfProperty;

    /// <summary>The manifest property naming the full version at the root of a delta's chain.</summary>
    public const string BaseProperty = "delta_base";

    /// <summary>Default bound on the chain length: the update after this many deltas in a row publishes a full copy.</summary>
    public const int DefaultMaxChain = 8;

    private const string WeightsMagic = "RFWDLT01";
    private const string UsersMagic = "RFUDLT01";

    /// <summary>What a delta version is stored over.</summary>
    /// <param name="Parent">The version the delta applies to.</param>
    /// <param name="Base">The full version at the root of the chain.</param>
    /// <param name="Depth">Deltas from the base to this version (1: its parent is the base).</param>
    /// <param name="Seed">The seed the item index is rebuilt with.</param>
    public sealed record Info(string Parent, string Base, int Depth, int Seed);

    /// <summary>The delta description of an artifact directory, or null for a full version.</summary>
    public static Info? ReadInfo(string directory)
    {
        var path = Path.Combine(directory, InfoFile);
        if (!File.Exists(path))
        {
            return null;
        }

        var info = ArtifactFileLoad.Read(path, p => JsonSerializer.Deserialize<Info>(File.ReadAllText(p)));
        return info is { Parent.Length: > 0, Base.Length: > 0, Depth: > 0 }
            ? info
            : throw new RecFrameworkException(RecError.ArtifactCorrupt, $"Artifact {directory}: '{InfoFile}' does not name a parent, a base and a depth.");
    }

    /// <summary>
    /// Opens the parent of the delta in <paramref name="directory"/> through the file store of its root (manifest and
    /// checksums verified); a parent that is missing or fails its checks is refused with the reason.
    /// </summary>
    public static ArtifactHandle OpenParent(string directory, Info info, string version)
    {
        var channelDirectory = Path.GetDirectoryName(Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar))!;
        var root = Path.GetDirectoryName(channelDirectory)!;
        var channel = Path.GetFileName(channelDirectory);
        var name = version.Length > 0 ? version : Path.GetFileName(directory.TrimEnd(Path.DirectorySeparatorChar));
        try
        {
            return new FileArtifactStore(root).Open(channel, info.Parent);
        }
        catch (RecFrameworkException ex) when (ex.Error is RecError.ArtifactNotFound or RecError.ArtifactCorrupt or RecError.InvalidArgument)
        {
            var what = ex.Error == RecError.ArtifactNotFound ? "missing" : "corrupt";
            throw new RecFrameworkException(RecError.ArtifactCorrupt,
                $"Two-tower delta {channel}/{name} needs its parent {info.Parent}, which is {what}: {ex.Message}", ex);
        }
    }

    /// <summary>The (ids, vectors) of <paramref name="fullFile"/>, composed along the delta chain of <paramref name="directory"/>.</summary>
    public static (int Dimension, long[] Ids, float[] Vectors) ReadVectors(string directory, string fullFile, string version = "")
    {
        var info = ReadInfo(directory);
        if (info is null)
        {
            return ArtifactFileLoad.Read(Path.Combine(directory, fullFile), VectorFile.Read);
        }

        var parent = OpenParent(directory, info, version);
        var (dimension, ids, vectors) = ReadVectors(parent.Directory, fullFile, info.Parent);
        var deltaFile = fullFile == TwoTowerArtifact.ItemVectorsFile ? ItemVectorsFile : UserVectorsFile;
        var (deltaDimension, changedIds, changed) = ArtifactFileLoad.Read(Path.Combine(directory, deltaFile), VectorFile.Read);
        if (deltaDimension != dimension)
        {
            throw new RecFrameworkException(RecError.ArtifactCorrupt, $"Artifact {directory}: '{deltaFile}' has dimension {deltaDimension}, its parent {info.Parent} {dimension}.");
        }

        var rowOf = new Dictionary<long, int>(ids.Length);
        for (var i = 0; i < ids.Length; i++)
        {
            rowOf[ids[i]] = i;
        }

        var added = changedIds.Count(id => !rowOf.ContainsKey(id));
        var outIds = new long[ids.Length + added];
        var outVectors = new float[outIds.Length * dimension];
        ids.CopyTo(outIds, 0);
        vectors.CopyTo(outVectors, 0);
        var next = ids.Length;
        for (var i = 0; i < changedIds.Length; i++)
        {
            if (!rowOf.TryGetValue(changedIds[i], out var row))
            {
                row = next++;
                outIds[row] = changedIds[i];
            }

            Array.Copy(changed, i * dimension, outVectors, row * dimension, dimension);
        }

        return (dimension, outIds, outVectors);
    }

    /// <summary>
    /// Rewrites the full version written into <paramref name="draftDirectory"/> as a delta over <paramref name="parent"/>
    /// (loaded with its whole model from <paramref name="parentDirectory"/>): writes the delta files and deletes the
    /// full copies of the model, the user rows, the vectors and the index. Returns null (leaving the full version)
    /// when the model cannot be expressed as row changes (a tensor changed shape other than by appended rows, or a
    /// non-float tensor changed).
    /// </summary>
    public static Info? Write(string draftDirectory, string parentDirectory, TwoTowerArtifact parent, Model.TwoTowerModel model, long[] users, EncodedRows userRows, int seed)
    {
        var parentInfo = ReadInfo(parentDirectory);
        var parentModel = parent.Model ?? throw new InvalidOperationException("A delta is written against a parent loaded with both towers.");
        if (!WriteWeights(Path.Combine(draftDirectory, WeightsFile), parentModel, model))
        {
            File.Delete(Path.Combine(draftDirectory, WeightsFile));
            return null;
        }

        WriteUsers(Path.Combine(draftDirectory, UsersFile), parent, users, userRows);
        WriteChangedVectors(draftDirectory, parentDirectory, parent.Version, TwoTowerArtifact.UserVectorsFile, UserVectorsFile);
        WriteChangedVectors(draftDirectory, parentDirectory, parent.Version, TwoTowerArtifact.ItemVectorsFile, ItemVectorsFile);
        var info = new Info(parent.Version, parentInfo?.Base ?? parent.Version, (parentInfo?.Depth ?? 0) + 1, seed);
        File.WriteAllText(Path.Combine(draftDirectory, InfoFile), JsonSerializer.Serialize(info));
        foreach (var file in new[] { TwoTowerArtifact.ModelFile, TwoTowerArtifact.UserTowerFile, TwoTowerArtifact.UsersFile, TwoTowerArtifact.UserVectorsFile, TwoTowerArtifact.ItemVectorsFile, TwoTowerArtifact.IndexFile })
        {
            File.Delete(Path.Combine(draftDirectory, file));
        }

        return info;
    }

    private static void WriteChangedVectors(string draftDirectory, string parentDirectory, string parentVersion, string fullFile, string deltaFile)
    {
        var (dimension, ids, vectors) = VectorFile.Read(Path.Combine(draftDirectory, fullFile));
        var (_, parentIds, parentVectors) = ReadVectors(parentDirectory, fullFile, parentVersion);
        var rowOf = new Dictionary<long, int>(parentIds.Length);
        for (var i = 0; i < parentIds.Length; i++)
        {
            rowOf[parentIds[i]] = i;
        }

        var changed = new List<int>();
        for (var i = 0; i < ids.Length; i++)
        {
            if (!rowOf.TryGetValue(ids[i], out var row)
                || !vectors.AsSpan(i * dimension, dimension).SequenceEqual(parentVectors.AsSpan(row * dimension, dimension)))
            {
                changed.Add(i);
            }
        }

        var outVectors = new float[changed.Count * dimension];
        for (var j = 0; j < changed.Count; j++)
        {
            Array.Copy(vectors, changed[j] * dimension, outVectors, j * dimension, dimension);
        }

        VectorFile.Write(Path.Combine(draftDirectory, deltaFile), dimension, [.. changed.Select(i => ids[i])], outVectors);
    }

    /// <summary>Weight patches: per tensor that differs, the rows that changed or were appended (2-D float tables), or the whole tensor.</summary>
    private static bool WriteWeights(string path, torch.nn.Module parent, torch.nn.Module next)
    {
        var source = parent.state_dict();
        var entries = new List<(string Name, long[] Shape, long[] Rows, float[] Values)>();
        foreach (var (name, target) in next.state_dict())
        {
            if (!source.TryGetValue(name, out var from) || from.dtype != target.dtype)
            {
                return false;
            }

            if (target.dtype != ScalarType.Float32)
            {
                if (!from.shape.SequenceEqual(target.shape) || !from.equal(target).all().item<bool>())
                {
                    return false;
                }

                continue;
            }

            var values = Floats(target);
            if (from.dim() == 2 && target.dim() == 2 && from.shape[1] == target.shape[1] && from.shape[0] <= target.shape[0])
            {
                var width = (int)target.shape[1];
                var old = Floats(from);
                var rows = new List<long>();
                for (var r = 0; r < target.shape[0]; r++)
                {
                    if (r >= from.shape[0] || !values.AsSpan(r * width, width).SequenceEqual(old.AsSpan(r * width, width)))
                    {
                        rows.Add(r);
                    }
                }

                if (rows.Count == 0)
                {
                    continue;
                }

                var patch = new float[rows.Count * width];
                for (var j = 0; j < rows.Count; j++)
                {
                    Array.Copy(values, rows[j] * width, patch, j * width, width);
                }

                entries.Add((name, target.shape, [.. rows], patch));
            }
            else if (!from.shape.SequenceEqual(target.shape) || !from.equal(target).all().item<bool>())
            {
                if (from.dim() != target.dim() || !from.shape.SequenceEqual(target.shape))
                {
                    return false;
                }

                entries.Add((name, target.shape, [-1], values));
            }
        }

        using var stream = File.Create(path);
        using var writer = new BinaryWriter(stream, Encoding.UTF8);
        writer.Write(Encoding.ASCII.GetBytes(WeightsMagic));
        writer.Write(entries.Count);
        foreach (var (name, shape, rows, values) in entries)
        {
            writer.Write(name);
            writer.Write(shape.Length);
            foreach (var d in shape)
            {
                writer.Write(d);
            }

            writer.Write(rows.Length);
            writer.Write(MemoryMarshal.AsBytes(rows.AsSpan()));
            writer.Write(values.Length);
            writer.Write(MemoryMarshal.AsBytes(values.AsSpan()));
        }

        return true;
    }

    private static float[] Floats(Tensor tensor)
    {
        using var contiguous = tensor.detach().cpu().contiguous();
        return contiguous.data<float>().ToArray();
    }

    /// <summary>
    /// Copies <paramref name="parent"/>'s weights into <paramref name="target"/> (tables may have grown by appended rows)
    /// and applies the patches of <paramref name="directory"/>'s weights file whose names start with <paramref name="prefix"/>
    /// (the prefix stripped: "user." for a user tower loaded alone, "" for the whole model).
    /// </summary>
    public static void ApplyWeights(string directory, torch.nn.Module parent, torch.nn.Module target, string prefix)
    {
        var source = parent.state_dict();
        var state = target.state_dict();
        using var noGrad = torch.no_grad();
        foreach (var (name, tensor) in state)
        {
            if (!source.TryGetValue(name, out var from))
            {
                throw new RecFrameworkException(RecError.ArtifactCorrupt, $"Artifact {directory}: the parent has no weight '{name}'.");
            }

            if (from.shape.SequenceEqual(tensor.shape))
            {
                tensor.copy_(from);
            }
            else if (from.dim() == 2 && tensor.dim() == 2 && from.shape[1] == tensor.shape[1] && from.shape[0] <= tensor.shape[0])
            {
                tensor.narrow(0, 0, from.shape[0]).copy_(from);
            }
            else
            {
                throw new RecFrameworkException(RecError.ArtifactCorrupt, $"Artifact {directory}: weight '{name}' has shape [{string.Join(", ", tensor.shape)}], its parent's [{string.Join(", ", from.shape)}].");
            }
        }

        ArtifactFileLoad.Read(Path.Combine(directory, WeightsFile), path =>
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            if (Encoding.ASCII.GetString(reader.ReadBytes(WeightsMagic.Length)) != WeightsMagic)
            {
                throw new InvalidDataException("not a weights delta file");
            }

            var count = reader.ReadInt32();
            for (var e = 0; e < count; e++)
            {
                var name = reader.ReadString();
                var shape = new long[reader.ReadInt32()];
                for (var d = 0; d < shape.Length; d++)
                {
                    shape[d] = reader.ReadInt64();
                }

                var rows = new long[Checked(reader.ReadInt32(), stream, sizeof(long))];
                reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(rows.AsSpan()));
                var values = new float[Checked(reader.ReadInt32(), stream, sizeof(float))];
                reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
                if (!name.StartsWith(prefix, StringComparison.Ordinal) || !state.TryGetValue(name[prefix.Length..], out var tensor))
                {
                    continue;
                }

                if (!tensor.shape.SequenceEqual(shape))
                {
                    throw new InvalidDataException($"weight '{name}' has shape [{string.Join(", ", tensor.shape)}], the delta [{string.Join(", ", shape)}]");
                }

                if (rows is [-1])
                {
                    tensor.copy_(torch.tensor(values, shape));
                    continue;
                }

                var width = shape[1];
                if (values.LongLength != rows.LongLength * width || rows.Any(r => r < 0 || r >= shape[0]))
                {
                    throw new InvalidDataException($"weight '{name}': {rows.Length} rows do not fit {values.Length} values or the table's {shape[0]} rows");
                }

                using var index = torch.tensor(rows);
                using var patch = torch.tensor(values, [rows.LongLength, width]);
                tensor.index_copy_(0, index, patch);
            }

            return true;
        });
    }

    private static int Checked(int count, Stream stream, int size) =>
        count >= 0 && (long)count * size <= stream.Length - stream.Position
            ? count
            : throw new InvalidDataException($"entry of {count} elements does not fit the file");

    /// <summary>Writes the users whose encoded row differs from the parent's, or who are new.</summary>
    private static void WriteUsers(string path, TwoTowerArtifact parent, long[] users, EncodedRows rows)
    {
        var changed = new List<int>();
        for (var i = 0; i < users.Length; i++)
        {
            if (!parent.UserRowOf.TryGetValue(users[i], out var row) || !SameRow(rows, i, parent.UserRows, row))
            {
                changed.Add(i);
            }
        }

        using var stream = File.Create(path);
        using var writer = new BinaryWriter(stream);
        writer.Write(Encoding.ASCII.GetBytes(UsersMagic));
        writer.Write(changed.Count);
        foreach (var i in changed)
        {
            writer.Write(users[i]);
        }

        Gather([.. changed.Select(i => (rows, i))], rows).Write(writer);
    }

    /// <summary>The parent's users and rows with the delta's changed and new users applied.</summary>
    public static (long[] Users, EncodedRows Rows) ComposeUsers(string directory, long[] parentUsers, EncodedRows parentRows)
    {
        var (users, rows) = ArtifactFileLoad.Read(Path.Combine(directory, UsersFile), path =>
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream);
            if (Encoding.ASCII.GetString(reader.ReadBytes(UsersMagic.Length)) != UsersMagic)
            {
                throw new InvalidDataException("not a users delta file");
            }

            var ids = new long[Checked(reader.ReadInt32(), stream, sizeof(long))];
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = reader.ReadInt64();
            }

            var read = EncodedRows.Read(reader);
            return read.Count == ids.Length ? (ids, read) : throw new InvalidDataException($"{ids.Length} users but {read.Count} rows");
        });

        var rowOf = new Dictionary<long, int>(parentUsers.Length);
        for (var i = 0; i < parentUsers.Length; i++)
        {
            rowOf[parentUsers[i]] = i;
        }

        var sources = new (EncodedRows Rows, int Row)[parentUsers.Length];
        for (var i = 0; i < sources.Length; i++)
        {
            sources[i] = (parentRows, i);
        }

        var outUsers = new List<long>(parentUsers);
        var extra = new List<(EncodedRows, int)>();
        for (var i = 0; i < users.Length; i++)
        {
            if (rowOf.TryGetValue(users[i], out var row))
            {
                sources[row] = (rows, i);
            }
            else
            {
                outUsers.Add(users[i]);
                extra.Add((rows, i));
            }
        }

        if (parentRows.Count > 0 && rows.Count > 0 && (parentRows.CategoricalFields != rows.CategoricalFields || parentRows.MultiFields != rows.MultiFields
            || parentRows.MultiLength != rows.MultiLength || parentRows.ContinuousFields != rows.ContinuousFields || parentRows.HistoryLength != rows.HistoryLength))
        {
            throw new RecFrameworkException(RecError.ArtifactCorrupt, $"Artifact {directory}: '{UsersFile}' rows do not have the parent's layout.");
        }

        return ([.. outUsers], Gather([.. sources, .. extra], parentRows.Count > 0 ? parentRows : rows));
    }

    private static bool SameRow(EncodedRows a, int i, EncodedRows b, int j) =>
        a.CategoricalFields == b.CategoricalFields && a.MultiFields == b.MultiFields && a.MultiLength == b.MultiLength
        && a.ContinuousFields == b.ContinuousFields && a.HistoryLength == b.HistoryLength
        && a.Ids[i] == b.Ids[j]
        && a.Categorical.AsSpan(i * a.CategoricalFields, a.CategoricalFields).SequenceEqual(b.Categorical.AsSpan(j * b.CategoricalFields, b.CategoricalFields))
        && a.Multi.AsSpan(i * a.MultiFields * a.MultiLength, a.MultiFields * a.MultiLength).SequenceEqual(b.Multi.AsSpan(j * b.MultiFields * b.MultiLength, b.MultiFields * b.MultiLength))
        && a.Continuous.AsSpan(i * a.ContinuousFields, a.ContinuousFields).SequenceEqual(b.Continuous.AsSpan(j * b.ContinuousFields, b.ContinuousFields))
        && a.History.AsSpan(i * a.HistoryLength, a.HistoryLength).SequenceEqual(b.History.AsSpan(j * b.HistoryLength, b.HistoryLength));

    /// <summary>New rows, one per source (rows, row), in the layout of <paramref name="layout"/>.</summary>
    private static EncodedRows Gather((EncodedRows Rows, int Row)[] sources, EncodedRows layout)
    {
        var c = layout.CategoricalFields;
        var m = layout.MultiFields * layout.MultiLength;
        var f = layout.ContinuousFields;
        var h = layout.HistoryLength;
        var result = new EncodedRows(sources.Length, layout.CategoricalFields, layout.MultiFields, layout.MultiLength, f);
        var history = new long[(long)sources.Length * h];
        for (var i = 0; i < sources.Length; i++)
        {
            var (rows, row) = sources[i];
            result.Ids[i] = rows.Ids[row];
            Array.Copy(rows.Categorical, row * c, result.Categorical, i * c, c);
            Array.Copy(rows.Multi, row * m, result.Multi, i * m, m);
            Array.Copy(rows.Continuous, row * f, result.Continuous, i * f, f);
            if (h > 0)
            {
                Array.Copy(rows.History, row * h, history, i * h, h);
            }
        }

        result.SetHistory(h, history);
        return result;
    }

    /// <summary>Chain bound of a build: the <c>max_delta_chain</c> parameter, else <see cref="DefaultMaxChain"/>.</summary>
    public static int MaxChain(IReadOnlyDictionary<string, string> parameters)
    {
        if (!parameters.TryGetValue("max_delta_chain", out var text))
        {
            return DefaultMaxChain;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 1
            ? value
            : throw new RecFrameworkException(RecError.InvalidArgument, $"Two-tower parameter 'max_delta_chain' must be a whole number ≥ 1; got '{text}'.");
    }
}
