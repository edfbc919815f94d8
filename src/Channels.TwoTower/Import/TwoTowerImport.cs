using System.Globalization;
using Microsoft.ML.OnnxRuntime.Tensors;
using RecFramework.Artifacts;
using RecFramework.Channels.TwoTower.Serving;
using RecFramework.Vectors;

namespace RecFramework.Channels.TwoTower.Import;

/// <summary>
/// Publishes a two-tower version made elsewhere: an ONNX user tower with its <see cref="ImportContract"/> and item
/// vectors, indexed with the registered <see cref="IVectorIndexFactory"/> (Faiss with RecFramework.Vectors.Faiss).
/// Everything is checked before anything is published — the model against the contract (missing or extra inputs,
/// dtypes, shapes, profile fields against the user feature schema, output name and dimension, a probe forward pass), the vectors against the model (dimension, NaN or
/// infinite values, duplicate ids, ids count, items outside the catalogue) — and each refusal names the mismatch. The
/// version is an ordinary one of the channel: activate it, pin it per variant, hot-swap it.
/// </summary>
public static class TwoTowerImport
{
    /// <summary>Manifest property marking an imported version (<c>onnx-import</c>).</summary>
    public const string KindProperty = "kind";

    /// <summary>Checks the files and publishes them as a new version of <see cref="TwoTowerImportRequest.Channel"/>.</summary>
    /// <exception cref="RecFrameworkException"><see cref="RecError.MalformedInput"/> naming the first mismatch found.</exception>
    public static async Task<ArtifactHandle> ImportAsync(IArtifactStore store, IVectorIndexFactory indexFactory, TwoTowerImportRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(indexFactory);
        ArgumentNullException.ThrowIfNull(request);
        foreach (var (label, path) in new[] { ("ONNX model", request.OnnxPath), ("contract", request.ContractPath), ("item vectors", request.VectorsPath) })
        {
            if (!File.Exists(path))
            {
                throw new RecFrameworkException(RecError.MalformedInput, $"The {label} file {path} does not exist.");
            }
        }

        var contract = ImportContract.Load(request.ContractPath).Resolve(request.UserSchema);
        var contractDirectory = Path.GetDirectoryName(Path.GetFullPath(request.ContractPath))!;
        long users;
        using (var tower = ImportedUserTower.Load(request.OnnxPath, contract, contractDirectory))
        {
            CheckModel(tower, request.OnnxPath);
            users = tower.KnownUsers.Length;
        }

        var (ids, dimension, vectors) = await ReadVectorsAsync(request, cancellationToken).ConfigureAwait(false);
        CheckVectors(request, contract, ids, dimension, vectors);

        var draft = store.CreateDraft(request.Channel);
        File.Copy(request.OnnxPath, draft.PathOf(TwoTowerArtifact.ImportedTowerFile));
        var copied = contract with
        {
            Inputs = [.. contract.Inputs.Select((input, i) => input.Vocabulary is null ? input : input with { Vocabulary = $"vocabulary_{i}.txt" })],
        };
        for (var i = 0; i < contract.Inputs.Count; i++)
        {
            if (contract.Inputs[i].Vocabulary is { } file)
            {
                File.Copy(Path.Combine(contractDirectory, file), draft.PathOf(copied.Inputs[i].Vocabulary!));
            }
        }

        copied.Save(draft.PathOf(TwoTowerArtifact.ContractFile));
        VectorFile.Write(draft.PathOf(TwoTowerArtifact.ItemVectorsFile), dimension, ids, vectors);
        using (var index = indexFactory.Build(request.IndexDescription, dimension, vectors, ids, request.Seed))
        {
            index.Save(draft.PathOf(TwoTowerArtifact.IndexFile));
        }

        return store.Publish(draft, new ArtifactManifest
        {
            Channel = request.Channel,
            Version = draft.Version,
            Dataset = Path.GetFileName(request.VectorsPath),
            Metrics = { ["items"] = ids.Length, ["users"] = users, ["dimension"] = dimension },
            Properties =
            {
                [KindProperty] = "onnx-import",
                ["onnx"] = Path.GetFileName(request.OnnxPath),
                ["index"] = request.IndexDescription,
                ["index_factory"] = indexFactory.GetType().Name,
                ["seed"] = request.Seed.ToString(CultureInfo.InvariantCulture),
            },
        });
    }

    private static void CheckModel(ImportedUserTower tower, string onnxPath)
    {
        var contract = tower.Contract;
        var inputs = tower.Session.InputMetadata;
        foreach (var declared in contract.Inputs)
        {
            if (!inputs.TryGetValue(declared.Name, out var actual))
            {
                throw Refuse($"missing input: the contract declares '{declared.Name}' but {onnxPath} has no such input (model inputs: {string.Join(", ", inputs.Keys)}).");
            }

            var dtype = declared.Dtype == "float32" ? TensorElementType.Float : TensorElementType.Int64;
            if (actual.ElementDataType != dtype)
            {
                throw Refuse($"wrong dtype: input '{declared.Name}' is {actual.ElementDataType} in the model; the contract declares {declared.Dtype}.");
            }

            var dims = actual.Dimensions;
            if (dims.Length != declared.Shape.Count || (dims.Length == 2 && dims[1] != declared.Width && dims[1] >= 0))
            {
                throw Refuse($"wrong shape: input '{declared.Name}' is [{string.Join(", ", dims)}] in the model; the contract declares [{string.Join(", ", declared.Shape)}].");
            }
        }

        var extra = inputs.Keys.Where(name => contract.Inputs.All(i => i.Name != name)).ToArray();
        if (extra.Length > 0)
        {
            throw Refuse($"extra input: {onnxPath} takes {string.Join(", ", extra.Select(e => $"'{e}'"))}, which the contract does not declare.");
        }

        if (!tower.Session.OutputMetadata.TryGetValue(contract.Output, out var output))
        {
            throw Refuse($"missing output: the contract names output '{contract.Output}' but the model's outputs are {string.Join(", ", tower.Session.OutputMetadata.Keys)}.");
        }

        if (output.ElementDataType != TensorElementType.Float)
        {
            throw Refuse($"wrong dtype: output '{contract.Output}' is {output.ElementDataType}; user vectors are float32.");
        }

        if (output.Dimensions is { Length: 2 } shape && shape[1] > 0 && shape[1] != contract.Dimension)
        {
            throw Refuse($"wrong dimension: output '{contract.Output}' has dimension {shape[1]}; the contract declares {contract.Dimension}.");
        }

        // A probe forward pass over some known users (and an unknown one): shape and finite values.
        long[] probe = [.. tower.KnownUsers.Take(64), long.MinValue];
        var vectors = tower.UserVectors(probe);
        for (var i = 0; i < vectors.Length; i++)
        {
            if (!float.IsFinite(vectors[i]))
            {
                throw Refuse($"the model's vector of user {probe[i / contract.Dimension]} holds {vectors[i]}.");
            }
        }
    }

    private static async Task<(long[] Ids, int Dimension, float[] Vectors)> ReadVectorsAsync(TwoTowerImportRequest request, CancellationToken cancellationToken)
    {
        if (request.VectorsPath.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
        {
            return await ItemVectorFiles.ReadParquetAsync(request.VectorsPath, cancellationToken).ConfigureAwait(false);
        }

        if (!request.VectorsPath.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            throw Refuse($"item vectors {request.VectorsPath}: expected a .npy or .parquet file.");
        }

        var (rows, dimension, vectors) = ItemVectorFiles.ReadNpy(request.VectorsPath);
        var ids = ImportedUserTower.ReadIds(request.IdsPath ?? throw Refuse($"item vectors {request.VectorsPath} are a .npy file: give the ids file (one item id per line)."));
        if (ids.Length != rows)
        {
            throw Refuse($"ids count: {request.IdsPath} lists {ids.Length} ids for {rows} vectors in {request.VectorsPath}.");
        }

        return (ids, dimension, vectors);
    }

    private static void CheckVectors(TwoTowerImportRequest request, ImportContract contract, long[] ids, int dimension, float[] vectors)
    {
        if (dimension != contract.Dimension)
        {
            throw Refuse($"wrong dimension: item vectors in {request.VectorsPath} have dimension {dimension}; the model's user vectors (contract 'dimension') have {contract.Dimension}.");
        }

        if (ids.Length == 0)
        {
            throw Refuse($"no item vectors in {request.VectorsPath}.");
        }

        for (var i = 0; i < vectors.Length; i++)
        {
            if (!float.IsFinite(vectors[i]))
            {
                throw Refuse($"NaN or infinite vector: item {ids[i / dimension]} (row {i / dimension}) holds {vectors[i]} at component {i % dimension}.");
            }
        }

        var seen = new HashSet<long>(ids.Length);
        foreach (var id in ids)
        {
            if (!seen.Add(id))
            {
                throw Refuse($"duplicate item: {id} has more than one vector.");
            }
        }

        if (request.Catalogue is { } catalogue)
        {
            var unknown = ids.Where(id => !catalogue.Contains(id)).ToArray();
            if (unknown.Length > 0)
            {
                throw Refuse($"unknown items: {unknown.Length} vector(s) for items not in the catalogue ({string.Join(", ", unknown.Take(5))}{(unknown.Length > 5 ? ", …" : "")}).");
            }
        }
    }

    private static RecFrameworkException Refuse(string reason) => new(RecError.MalformedInput, "Import refused: " + reason);
}
