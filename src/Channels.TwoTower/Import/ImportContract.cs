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

            if (input.Source != ImportContractInput.UserIdSource)
            {
                throw new RecFrameworkException(RecError.MalformedInput, $"{where}: source '{input.Source}' is not supported (supported: '{ImportContractInput.UserIdSource}').");
            }

            if (input.Dtype != "int64")
            {
                throw new RecFrameworkException(RecError.MalformedInput, $"{where}: dtype '{input.Dtype}' does not fit source '{input.Source}' (user ids are int64).");
            }

            if (input.Shape.Count is < 1 or > 2 || input.Shape[0] != -1 || (input.Shape.Count == 2 && input.Shape[1] != 1))
            {
                throw new RecFrameworkException(RecError.MalformedInput, $"{where}: shape [{string.Join(", ", input.Shape)}] must be [-1] or [-1, 1] (one id per batch row).");
            }
        }

        var duplicate = Inputs.GroupBy(i => i.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new RecFrameworkException(RecError.MalformedInput, $"Contract {path}: input '{duplicate.Key}' is declared {duplicate.Count()} times.");
        }
    }
}
