using System.Text.Json;
using System.Text.Json.Serialization;

namespace RecFramework.Channels.TwoTower.Import;

/// <summary>
/// The declared input contract of an imported ONNX user tower (<c>contract.json</c>): which inputs the model takes,
/// where each one's values come from, their dtypes and shapes, and the output's name and dimension. Checked against
/// the model and the item vectors at import; every mismatch is refused with a message naming it.
/// </summary>
public sealed record ImportContract
{
    /// <summary>Name of the ONNX output holding the user vectors ([batch, Dimension] float32).</summary>
    [JsonPropertyName("output")]
    public string Output { get; init; } = "user_vector";

    /// <summary>Length of a user vector; item vectors must have the same.</summary>
    [JsonPropertyName("dimension")]
    public int Dimension { get; init; }

    /// <summary>Every input of the ONNX model, each exactly once.</summary>
    [JsonPropertyName("inputs")]
    public IReadOnlyList<ImportContractInput> Inputs { get; init; } = [];

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Reads and checks a contract file.</summary>
    /// <exception cref="RecFrameworkException"><see cref="RecError.MalformedInput"/> naming the bad field.</exception>
    public static ImportContract Load(string path)
    {
        ImportContract? contract;
        try
        {
            contract = JsonSerializer.Deserialize<ImportContract>(File.ReadAllText(path), Json);
        }
        catch (JsonException ex)
        {
            throw new RecFrameworkException(RecError.MalformedInput, $"Contract {path} is not valid JSON: {ex.Message}");
        }

        contract ??= new ImportContract();
        contract.Check(path);
        return contract;
    }

    /// <summary>Writes the contract as indented JSON.</summary>
    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    private void Check(string path)
    {
        if (Dimension <= 0)
        {
            throw new RecFrameworkException(RecError.MalformedInput, $"Contract {path}: 'dimension' must be positive; got {Dimension}.");
        }

        if (Inputs.Count == 0)
        {
            throw new RecFrameworkException(RecError.MalformedInput, $"Contract {path}: 'inputs' is empty; declare every input of the ONNX model.");
        }

        foreach (var input in Inputs)
        {
            var where = $"Contract {path}: input '{input.Name}'";
            if (string.IsNullOrWhiteSpace(input.Name))
            {
                throw new RecFrameworkException(RecError.MalformedInput, $"Contract {path}: an input has no 'name'.");
            }

            switch (input.Source)
            {
                case ImportContractInput.UserIdSource:
                    if (input.Dtype != "int64")
                    {
                        throw new RecFrameworkException(RecError.MalformedInput, $"{where}: dtype '{input.Dtype}' does not fit source '{input.Source}' (user ids are int64).");
                    }

                    if (input.Fields is not null)
                    {
                        throw new RecFrameworkException(RecError.MalformedInput, $"{where}: source '{input.Source}' takes no 'fields' (they belong to source '{ImportContractInput.ProfileSource}').");
                    }

                    break;
                case ImportContractInput.ProfileSource:
                    CheckProfileInput(input, where);
                    break;
                default:
                    throw new RecFrameworkException(RecError.MalformedInput, $"{where}: source '{input.Source}' is not supported (supported: '{ImportContractInput.UserIdSource}', '{ImportContractInput.ProfileSource}').");
            }

            var width = input.Width;
            if (input.Shape.Count is < 1 or > 2 || input.Shape[0] != -1 || (input.Shape.Count == 2 && input.Shape[1] != width) || (input.Shape.Count == 1 && width != 1))
            {
                var expected = width == 1 ? "[-1] or [-1, 1] (one value per batch row)" : $"[-1, {width}] (one column per field)";
                throw new RecFrameworkException(RecError.MalformedInput, $"{where}: shape [{string.Join(", ", input.Shape)}] must be {expected}.");
            }
        }

        var duplicate = Inputs.GroupBy(i => i.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new RecFrameworkException(RecError.MalformedInput, $"Contract {path}: input '{duplicate.Key}' is declared {duplicate.Count()} times.");
        }
    }

    /// <summary>
    /// The contract with every profile field's <see cref="ImportContractField.Index"/> resolved in
    /// <paramref name="userSchema"/> (null: each field must carry its index).
    /// </summary>
    /// <exception cref="RecFrameworkException"><see cref="RecError.MalformedInput"/>: a field the schema lacks, of another kind, or without an index and no schema.</exception>
    public ImportContract Resolve(FeatureSchema? userSchema)
    {
        var inputs = new List<ImportContractInput>(Inputs.Count);
        foreach (var input in Inputs)
        {
            if (input.Fields is null)
            {
                inputs.Add(input);
                continue;
            }

            var fields = new List<ImportContractField>(input.Fields.Count);
            foreach (var field in input.Fields)
            {
                if (userSchema is null)
                {
                    fields.Add(field.Index is >= 0 ? field : throw new RecFrameworkException(RecError.MalformedInput, $"Import refused: missing schema: input '{input.Name}' reads profile field '{field.Field}', which has no 'index'; give the user feature schema (the data set, --data) to resolve it."));
                    continue;
                }

                var index = userSchema.IndexOf(field.Field);
                if (index < 0)
                {
                    throw new RecFrameworkException(RecError.MalformedInput, $"Import refused: unknown feature: input '{input.Name}' reads profile field '{field.Field}', which the user feature schema lacks (fields: {string.Join(", ", userSchema.Fields.Select(f => f.Name))}).");
                }

                var kind = userSchema.Fields[index].Kind;
                var numeric = field.Boundaries is not null || input.Dtype == "float32";
                if (kind == FeatureKind.MultiCategorical || (numeric && kind != FeatureKind.Continuous) || (!numeric && kind == FeatureKind.Continuous))
                {
                    var encoding = field.Boundaries is not null ? "bucket boundaries" : numeric ? "a float32 value" : "a vocabulary";
                    throw new RecFrameworkException(RecError.MalformedInput, $"Import refused: wrong kind: input '{input.Name}' reads profile field '{field.Field}' as {encoding}, but the field is {kind} in the user feature schema.");
                }

                fields.Add(field with { Index = index });
            }

            inputs.Add(input with { Fields = fields });
        }

        return this with { Inputs = inputs };
    }

    private static void CheckProfileInput(ImportContractInput input, string where)
    {
        if (input.Vocabulary is not null)
        {
            throw new RecFrameworkException(RecError.MalformedInput, $"{where}: source '{input.Source}' takes per-field vocabularies in 'fields', not a 'vocabulary' file.");
        }

        if (input.Fields is not { Count: > 0 } fields)
        {
            throw new RecFrameworkException(RecError.MalformedInput, $"{where}: source '{input.Source}' needs 'fields' (the profile fields it reads, in column order).");
        }

        if (input.Dtype is not ("int64" or "float32"))
        {
            throw new RecFrameworkException(RecError.MalformedInput, $"{where}: dtype '{input.Dtype}' is not supported for profile fields (int64 codes or float32 numbers).");
        }

        foreach (var field in fields)
        {
            var name = $"{where}, field '{field.Field}'";
            if (string.IsNullOrWhiteSpace(field.Field))
            {
                throw new RecFrameworkException(RecError.MalformedInput, $"{where}: a field has no 'field' name.");
            }

            if (input.Dtype == "int64" && (field.Vocabulary is null) == (field.Boundaries is null))
            {
                throw new RecFrameworkException(RecError.MalformedInput, $"{name}: an int64 field needs exactly one of 'vocabulary' (categorical) or 'boundaries' (bucketised continuous).");
            }

            if (input.Dtype == "float32" && (field.Vocabulary is not null || field.Boundaries is not null))
            {
                throw new RecFrameworkException(RecError.MalformedInput, $"{name}: a float32 field is a normalised number ('mean', 'std'); a vocabulary or boundaries need dtype int64.");
            }

            if (field.Boundaries is { } boundaries && boundaries.Zip(boundaries.Skip(1)).Any(p => p.Second <= p.First))
            {
                throw new RecFrameworkException(RecError.MalformedInput, $"{name}: 'boundaries' must be strictly ascending.");
            }

            if (!(field.Std > 0) || !double.IsFinite(field.Mean) || !double.IsFinite(field.Std))
            {
                throw new RecFrameworkException(RecError.MalformedInput, $"{name}: 'std' must be a positive number and 'mean' finite; got mean {field.Mean}, std {field.Std}.");
            }
        }
    }
}
