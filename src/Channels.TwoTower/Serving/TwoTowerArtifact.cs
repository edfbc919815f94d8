using System.Text.Json;
using System.Text.Json.Serialization;
using RecFramework.Artifacts;
using RecFramework.Channels.TwoTower.Features;
using RecFramework.Channels.TwoTower.Model;
using RecFramework.Vectors;

namespace RecFramework.Channels.TwoTower.Serving;

/// <summary>
/// A loaded two-tower artifact: options, encoders, model (eval mode), the encoded rows of known users and the item
/// vector index. File names are the artifact's layout. Serving needs only the user tower (item vectors are in the
/// index), so a serving load reads <see cref="UserTowerFile"/> alone when the artifact has it: at a million items the
/// item tower is most of the model, and loading it beside the serving model during a hot swap cost the requests
/// their CPU and the GC its budget.
/// </summary>
internal sealed class TwoTowerArtifact : IDisposable
{
    public const string ModelFile = "model.bin";
    public const string UserTowerFile = "user_tower.bin";
    public const string OptionsFile = "options.json";
    public const string UserEncoderFile = "user_encoder.json";
    public const string ItemEncoderFile = "item_encoder.json";
    public const string UsersFile = "users.bin";
    public const string UserVectorsFile = "user_vectors.bin";
    public const string ItemVectorsFile = "item_vectors.bin";
    public const string IndexFile = "items.index";
    public const string ImportedTowerFile = "user_tower.onnx";
    public const string ContractFile = "contract.json";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };

    public required TwoTowerOptions Options { get; init; }

    public required FeatureEncoder UserEncoder { get; init; }

    /// <summary>
    /// Item encoder; null for a serving load of a model that reads no request history (the item vocabulary of a
    /// 1M-item catalogue is tens of megabytes of JSON, and serving reads item vectors from the index).
    /// </summary>
    public FeatureEncoder? ItemEncoder { get; init; }

    /// <summary>Both towers; null for a serving load that read only <see cref="UserTowerFile"/>.</summary>
    public TwoTowerModel? Model { get; init; }

    /// <summary>The user tower (eval mode): the model's, or the one loaded alone for serving; null for an imported version.</summary>
    public Tower? UserTower { get; init; }

    /// <summary>
    /// The user tower's forward pass in managed code (<see cref="Model.ManagedTower"/>), which serving uses; null for
    /// an imported version.
    /// </summary>
    public ManagedTower? ManagedUserTower { get; init; }

    /// <summary>The ONNX user tower of an imported version (<see cref="Import.TwoTowerImport"/>), else null.</summary>
    public Import.ImportedUserTower? Imported { get; init; }

    /// <summary>Encoded rows of the users known at training time.</summary>
    public required EncodedRows UserRows { get; init; }

    /// <summary>Row of each known user in <see cref="UserRows"/>.</summary>
    public required Dictionary<long, int> UserRowOf { get; init; }

    public IVectorIndex? Index { get; init; }

    public string Version { get; init; } = "";

    /// <summary>Writes options, encoders, weights and the known users' rows into <paramref name="directory"/>.</summary>
    public static void WriteModel(string directory, TwoTowerOptions options, FeatureEncoder userEncoder, FeatureEncoder itemEncoder, TwoTowerModel model, long[] users, EncodedRows userRows)
    {
        File.WriteAllText(Path.Combine(directory, OptionsFile), JsonSerializer.Serialize(options, JsonOptions));
        userEncoder.Save(Path.Combine(directory, UserEncoderFile));
        itemEncoder.Save(Path.Combine(directory, ItemEncoderFile));
        model.save(Path.Combine(directory, ModelFile));
        model.User.save(Path.Combine(directory, UserTowerFile));
        using var stream = File.Create(Path.Combine(directory, UsersFile));
        using var writer = new BinaryWriter(stream);
        writer.Write(users.Length);
        foreach (var id in users)
        {
            writer.Write(id);
        }

        userRows.Write(writer);
    }

    /// <summary>
    /// Loads the model part of an artifact directory, and the index when <paramref name="indexFactory"/> is given;
    /// with <paramref name="userTowerOnly"/> (serving) only the user tower is read when the artifact has it alone.
    /// </summary>
    public static TwoTowerArtifact Load(string directory, IVectorIndexFactory? indexFactory, string version = "", bool userTowerOnly = false)
    {
        string PathOf(string file)
        {
            var path = Path.Combine(directory, file);
            return File.Exists(path) ? path : throw new RecFrameworkException(RecError.ArtifactCorrupt, $"Two-tower artifact {directory} lacks {file}.");
        }

        if (File.Exists(Path.Combine(directory, ImportedTowerFile)) && File.Exists(Path.Combine(directory, ContractFile)))
        {
            return LoadImported(directory, indexFactory, version);
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var options = ArtifactFileLoad.Read(PathOf(OptionsFile), p => JsonSerializer.Deserialize<TwoTowerOptions>(File.ReadAllText(p), JsonOptions))
            ?? throw new RecFrameworkException(RecError.ArtifactCorrupt, $"Artifact file '{OptionsFile}' is empty (null).");
        var userEncoder = ArtifactFileLoad.Read(PathOf(UserEncoderFile), FeatureEncoder.Load);
        var delta = TwoTowerDelta.ReadInfo(directory);
        var towerAlone = userTowerOnly && (delta is not null || File.Exists(Path.Combine(directory, UserTowerFile)));
        var itemEncoder = towerAlone && options.HistoryLength == 0 ? null : ArtifactFileLoad.Read(PathOf(ItemEncoderFile), FeatureEncoder.Load);
        var encodersMs = clock.Elapsed.TotalMilliseconds;
        TwoTowerModel? model = null;
        Tower? userTower = null;
        IVectorIndex? index = null;
        TwoTowerArtifact? parent = null;
        try
        {
            if (delta is not null)
            {
                // A delta: the parent composed first (recursively), then the delta's rows applied over it.
                var parentHandle = TwoTowerDelta.OpenParent(directory, delta, version);
                parent = Load(parentHandle.Directory, indexFactory: null, delta.Parent, towerAlone);
                if (towerAlone)
                {
                    var itemShape = itemEncoder is null ? new TowerShape(0, 0, 0, 0, 0, 0) : TowerShape.Of(itemEncoder);
                    userTower = TwoTowerModel.UserTowerFor(TowerShape.Of(userEncoder), itemShape, options);
                    TwoTowerDelta.ApplyWeights(directory, parent.UserTower!, userTower, "user.");
                    userTower.eval();
                }
                else
                {
                    model = new TwoTowerModel(TowerShape.Of(userEncoder), TowerShape.Of(itemEncoder!), options);
                    TwoTowerDelta.ApplyWeights(directory, parent.Model!, model, "");
                    model.eval();
                    userTower = model.User;
                }
            }
            else if (towerAlone)
            {
                // Without a history field the user tower's shape does not depend on the item side.
                var itemShape = itemEncoder is null ? new TowerShape(0, 0, 0, 0, 0, 0) : TowerShape.Of(itemEncoder);
                userTower = TwoTowerModel.UserTowerFor(TowerShape.Of(userEncoder), itemShape, options);
                var tower = userTower;
                ArtifactFileLoad.Read(PathOf(UserTowerFile), p => tower.load(p));
                userTower.eval();

                // The whole model is not loaded for serving, but a warm start reads it: check its structure now so a
                // damaged copy is refused at activation rather than at the next update.
                ArtifactFileLoad.Read(PathOf(ModelFile), TorchStateFile.Validate);
            }
            else
            {
                model = new TwoTowerModel(TowerShape.Of(userEncoder), TowerShape.Of(itemEncoder!), options);
                var whole = model;
                ArtifactFileLoad.Read(PathOf(ModelFile), p => whole.load(p));
                model.eval();
                userTower = model.User;
            }

            var towerMs = clock.Elapsed.TotalMilliseconds - encodersMs;
            var (users, rows) = parent is null
                ? ArtifactFileLoad.Read(PathOf(UsersFile), ReadUserRows)
                : TwoTowerDelta.ComposeUsers(directory, UsersInRowOrder(parent.UserRowOf), parent.UserRows);
            parent?.Dispose();
            parent = null;

            var rowOf = new Dictionary<long, int>(users.Length);
            for (var i = 0; i < users.Length; i++)
            {
                rowOf[users[i]] = i;
            }

            var rowsMs = clock.Elapsed.TotalMilliseconds - encodersMs - towerMs;
            if (indexFactory is not null && delta is not null)
            {
                // A delta stores no index: it is rebuilt from the composed item vectors with the build's seed.
                var (dimension, items, vectors) = TwoTowerDelta.ReadVectors(directory, ItemVectorsFile, version);
                index = indexFactory.Build(options.IndexDescription, dimension, vectors, items, delta.Seed);
            }
            else if (indexFactory is not null)
            {
                index = ArtifactFileLoad.Read(PathOf(IndexFile), p => LoadIndex(p, indexFactory));
            }

            var indexMs = clock.Elapsed.TotalMilliseconds - encodersMs - towerMs - rowsMs;

            return new TwoTowerArtifact
            {
                Options = options,
                UserEncoder = userEncoder,
                ItemEncoder = itemEncoder,
                Model = model,
                UserTower = userTower,
                ManagedUserTower = userTower.ToManaged(options.Activation),
                UserRows = rows,
                UserRowOf = rowOf,
                Index = index,
                Version = version,
                LoadTimes = new LoadDurations(encodersMs, towerMs, rowsMs, indexMs),
            };
        }
        catch
        {
            // A half-loaded version must not leak native memory: free what was loaded before the bad file.
            parent?.Dispose();
            index?.Dispose();
            if (model is not null)
            {
                model.Dispose();
            }
            else
            {
                userTower?.Dispose();
            }

            throw;
        }
    }

    /// <summary>Loads an imported version: the ONNX user tower under its contract, and the index.</summary>
    private static TwoTowerArtifact LoadImported(string directory, IVectorIndexFactory? indexFactory, string version)
    {
        if (indexFactory is null)
        {
            throw new RecFrameworkException(RecError.InvalidArgument, $"Version '{version}' in {directory} was imported from ONNX: it has no TorchSharp model to warm-start from; name a trained version as 'parent' or train from scratch (update=none).");
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var contract = ArtifactFileLoad.Read(Path.Combine(directory, ContractFile), Import.ImportContract.Load).Resolve(userSchema: null);
        var tower = Import.ImportedUserTower.Load(Path.Combine(directory, ImportedTowerFile), contract, directory);
        var towerMs = clock.Elapsed.TotalMilliseconds;
        try
        {
            var index = ArtifactFileLoad.Read(Path.Combine(directory, IndexFile), p => LoadIndex(p, indexFactory));
            return new TwoTowerArtifact
            {
                Options = new TwoTowerOptions { Dimension = contract.Dimension },
                UserEncoder = new FeatureEncoder(),
                Imported = tower,
                UserRows = new EncodedRows(0, 0, 0, 1, 0),
                UserRowOf = [],
                Index = index,
                Version = version,
                LoadTimes = new LoadDurations(0, towerMs, 0, clock.Elapsed.TotalMilliseconds - towerMs),
            };
        }
        catch
        {
            tower.Dispose();
            throw;
        }
    }

    private static long[] UsersInRowOrder(Dictionary<long, int> rowOf)
    {
        var users = new long[rowOf.Count];
        foreach (var (user, row) in rowOf)
        {
            users[row] = user;
        }

        return users;
    }

    private static (long[] Users, EncodedRows Rows) ReadUserRows(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        var count = reader.ReadInt32();
        if (count < 0 || (long)count * sizeof(long) > stream.Length)
        {
            throw new InvalidDataException($"user count {count} does not fit a file of {stream.Length} bytes");
        }

        var users = new long[count];
        for (var i = 0; i < users.Length; i++)
        {
            users[i] = reader.ReadInt64();
        }

        return (users, EncodedRows.Read(reader));
    }

    /// <summary>Milliseconds the load spent on each part (encoders, user tower, stored user rows, vector index).</summary>
    public readonly record struct LoadDurations(double EncodersMs, double TowerMs, double UserRowsMs, double IndexMs)
    {
        /// <summary>All parts together.</summary>
        public double TotalMs => EncodersMs + TowerMs + UserRowsMs + IndexMs;
    }

    /// <summary>How long each part of <see cref="Load(string, IVectorIndexFactory?, string, bool)"/> took.</summary>
    public LoadDurations LoadTimes { get; private init; }

    /// <summary>Loads an index file with the factory that wrote it: exact-index files are recognised by their header.</summary>
    public static IVectorIndex LoadIndex(string path, IVectorIndexFactory factory)
    {
        Span<byte> header = stackalloc byte[8];
        using (var stream = File.OpenRead(path))
        {
            var read = stream.Read(header);
            header = header[..read];
        }

        return System.Text.Encoding.ASCII.GetString(header) == "RFEXACT1" ? ExactVectorIndex.Load(path) : factory.Load(path);
    }

    /// <summary>Opens a published artifact for serving (user tower and index).</summary>
    public static TwoTowerArtifact Load(ArtifactHandle handle, IVectorIndexFactory indexFactory)
        => Load(handle.Directory, indexFactory, handle.Manifest.Version, userTowerOnly: true);

    public void Dispose()
    {
        if (Model is not null)
        {
            Model.Dispose();
        }
        else
        {
            UserTower?.Dispose();
        }

        ManagedUserTower?.Dispose();
        Imported?.Dispose();
        Index?.Dispose();
    }
}
