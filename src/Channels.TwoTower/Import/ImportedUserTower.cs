using Microsoft.ML.OnnxRuntime;

namespace RecFramework.Channels.TwoTower.Import;

/// <summary>
/// An ONNX user tower served with ONNX Runtime under its <see cref="ImportContract"/>: turns user ids and profiles
/// into the model's inputs and returns the user vectors. One intra-op thread per call (a single user's forward pass is far too
/// small to split; requests run in parallel instead) and sequential execution; <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>
/// is thread-safe, so one session serves every request.
/// </summary>
internal sealed class ImportedUserTower : IDisposable
{
    private readonly InferenceSession _session;
    private readonly Dictionary<long, long>?[] _vocabularies;
    private readonly Dictionary<string, long>?[][] _fieldLookups;
    private readonly string[] _outputNames;
    private readonly RunOptions _run = new();

    private ImportedUserTower(InferenceSession session, ImportContract contract, Dictionary<long, long>?[] vocabularies)
    {
        _session = session;
        Contract = contract;
        _vocabularies = vocabularies;
        _outputNames = [contract.Output];
        _fieldLookups = [.. contract.Inputs.Select(input => (input.Fields ?? []).Select(field => field.Vocabulary is { } values
            ? values.Select((v, i) => (v, i)).DistinctBy(p => p.v, StringComparer.Ordinal).ToDictionary(p => p.v, p => (long)p.i + 1, StringComparer.Ordinal)
            : null).ToArray())];
    }

    /// <summary>The contract the model is served under.</summary>
    public ImportContract Contract { get; }

    /// <summary>The ONNX Runtime session.</summary>
    public InferenceSession Session => _session;

    /// <summary>User ids of the first vocabulary (the users known to the model's trainer), in file order.</summary>
    public long[] KnownUsers { get; private init; } = [];

    /// <summary>Loads the model and its vocabularies; files are relative to <paramref name="contractDirectory"/>.</summary>
    /// <exception cref="RecFrameworkException"><see cref="RecError.MalformedInput"/>: the model does not load or a vocabulary line is not an id.</exception>
    public static ImportedUserTower Load(string onnxPath, ImportContract contract, string contractDirectory, int intraOpThreads = 1)
    {
        var vocabularies = new Dictionary<long, long>?[contract.Inputs.Count];
        long[] known = [];
        for (var i = 0; i < vocabularies.Length; i++)
        {
            if (contract.Inputs[i].Vocabulary is { } file)
            {
                var ids = ReadIds(Path.Combine(contractDirectory, file));
                var lookup = new Dictionary<long, long>(ids.Length);
                for (var line = 0; line < ids.Length; line++)
                {
                    if (!lookup.TryAdd(ids[line], line + 1))
                    {
                        throw new RecFrameworkException(RecError.MalformedInput, $"Vocabulary {file} of input '{contract.Inputs[i].Name}' lists user {ids[line]} twice (lines {lookup[ids[line]]} and {line + 1}).");
                    }
                }

                vocabularies[i] = lookup;
                known = known.Length == 0 ? ids : known;
            }
        }

        using var options = new SessionOptions
        {
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        InferenceSession session;
        try
        {
            session = new InferenceSession(onnxPath, options);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new RecFrameworkException(RecError.MalformedInput, $"ONNX model {onnxPath} does not load: {ex.Message}");
        }

        return new ImportedUserTower(session, contract, vocabularies) { KnownUsers = known };
    }

    /// <summary>Reads an ids file: one 64-bit id per line (blank lines skipped).</summary>
    public static long[] ReadIds(string path)
    {
        if (!File.Exists(path))
        {
            throw new RecFrameworkException(RecError.MalformedInput, $"Ids file {path} does not exist.");
        }

        var ids = new List<long>();
        var line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (text.Trim().Length == 0)
            {
                continue;
            }

            if (!long.TryParse(text.Trim(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var id))
            {
                throw new RecFrameworkException(RecError.MalformedInput, $"{path}:{line}: '{text}' is not a 64-bit integer id.");
            }

            ids.Add(id);
        }

        return [.. ids];
    }

    /// <summary>The vector of one user: [Dimension] float32; <paramref name="profile"/> null leaves profile fields missing.</summary>
    public float[] UserVector(long userId, Profile? profile = null) => UserVectors([userId], profile is null ? null : [profile]);

    /// <summary>Row-major vectors of <paramref name="userIds"/>: [n * Dimension] float32; <paramref name="profiles"/> (aligned, entries may be null) feed the profile inputs.</summary>
    public float[] UserVectors(ReadOnlySpan<long> userIds, IReadOnlyList<Profile?>? profiles = null)
    {
        var n = userIds.Length;
        var inputs = new OrtValue[Contract.Inputs.Count];
        var names = new string[inputs.Length];
        try
        {
            for (var i = 0; i < inputs.Length; i++)
            {
                var input = Contract.Inputs[i];
                names[i] = input.Name;
                if (input.Fields is { } fields)
                {
                    inputs[i] = ProfileTensor(input, fields, _fieldLookups[i], n, profiles);
                    continue;
                }

                var values = new long[n];
                var vocabulary = _vocabularies[i];
                for (var r = 0; r < n; r++)
                {
                    values[r] = vocabulary is null ? userIds[r] : vocabulary.GetValueOrDefault(userIds[r]);
                }

                inputs[i] = OrtValue.CreateTensorValueFromMemory(values, input.Shape.Count == 1 ? [n] : [n, 1]);
            }

            using var outputs = _session.Run(_run, names, inputs, _outputNames);
            var output = outputs[0];
            var shape = output.GetTensorTypeAndShape().Shape;
            if (shape.Length != 2 || shape[0] != n || shape[1] != Contract.Dimension)
            {
                throw new RecFrameworkException(RecError.MalformedInput, $"ONNX output '{Contract.Output}' has shape [{string.Join(", ", shape)}] for {n} users; the contract says [{n}, {Contract.Dimension}].");
            }

            return output.GetTensorDataAsSpan<float>().ToArray();
        }
        finally
        {
            foreach (var value in inputs)
            {
                value?.Dispose();
            }
        }
    }

    private static OrtValue ProfileTensor(ImportContractInput input, IReadOnlyList<ImportContractField> fields, Dictionary<string, long>?[] lookups, int n, IReadOnlyList<Profile?>? profiles)
    {
        var width = fields.Count;
        long[] shape = input.Shape.Count == 1 ? [n] : [n, width];
        var floats = input.Dtype == "float32";
        var longs = floats ? null : new long[n * width];
        var numbers = floats ? new float[n * width] : null;
        for (var r = 0; r < n; r++)
        {
            var profile = profiles is not null && r < profiles.Count ? profiles[r] : null;
            for (var f = 0; f < width; f++)
            {
                var value = profile?.Single(fields[f].Index!.Value);
                if (floats)
                {
                    numbers![(r * width) + f] = fields[f].Number(value);
                }
                else
                {
                    longs![(r * width) + f] = fields[f].Code(value, lookups[f]);
                }
            }
        }

        return floats ? OrtValue.CreateTensorValueFromMemory(numbers!, shape) : OrtValue.CreateTensorValueFromMemory(longs!, shape);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _session.Dispose();
        _run.Dispose();
    }
}
