using RecFramework.Channels.TwoTower.Serving;

namespace RecFramework.Channels.TwoTower.Import;

/// <summary>
/// Exports a published two-tower version in the import format: the user tower as ONNX
/// (<c>user_tower.onnx</c>, the same vectors as the TorchSharp tower), the item vectors as <c>item_vectors.npy</c> with
/// <c>item_ids.txt</c>, and <c>contract.json</c> with <c>user_ids.txt</c>, so the folder imports as it is. The ONNX
/// inputs are <c>user_slot</c> (source <c>user_id</c>, the id vocabulary), <c>categorical</c> (source
/// <c>profile</c>: the categorical and bucketised fields with their vocabularies, boundaries and table offsets) and
/// <c>continuous</c> (source <c>profile</c>: the normalised fields with mean and std). Hashed user ids get no contract
/// (it cannot declare the hash).
/// </summary>
public static class TwoTowerOnnxExport
{
    /// <summary>Name of the ONNX user tower written.</summary>
    public const string OnnxFile = "user_tower.onnx";

    /// <summary>Name of the contract written.</summary>
    public const string ContractFile = "contract.json";

    /// <summary>Name of the item vectors written.</summary>
    public const string VectorsFile = "item_vectors.npy";

    /// <summary>Name of the item ids written (row order of <see cref="VectorsFile"/>).</summary>
    public const string ItemIdsFile = "item_ids.txt";

    /// <summary>Writes the export of the artifact in <paramref name="artifactDirectory"/> into <paramref name="outputDirectory"/>.</summary>
    /// <returns>Whether a contract was written (not for hashed user ids or multi-valued fields, which it cannot declare).</returns>
    /// <exception cref="RecFrameworkException">The tower uses a part the ONNX graph does not cover (history, multi-valued fields, SENet, GELU).</exception>
    public static bool Export(string artifactDirectory, string outputDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(artifactDirectory);
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        Directory.CreateDirectory(outputDirectory);
        using var artifact = TwoTowerArtifact.Load(artifactDirectory, indexFactory: null, userTowerOnly: true);
        var encoder = artifact.UserEncoder;
        File.WriteAllBytes(Path.Combine(outputDirectory, OnnxFile), OnnxTowerWriter.Write(artifact.UserTower!, artifact.Options, encoder.Categorical.Count, encoder.Continuous.Count));
        var (dimension, items, vectors) = TwoTowerDelta.ReadVectors(artifactDirectory, TwoTowerArtifact.ItemVectorsFile);
        ItemVectorFiles.WriteNpy(Path.Combine(outputDirectory, VectorsFile), items.Length, dimension, vectors);
        File.WriteAllLines(Path.Combine(outputDirectory, ItemIdsFile), items.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (encoder.IdHashBuckets > 0 || encoder.Multi.Count > 0)
        {
            return false;
        }

        var inputs = new List<ImportContractInput>();
        if (artifact.Options.UseIds)
        {
            File.WriteAllLines(Path.Combine(outputDirectory, "user_ids.txt"), encoder.IdVocabulary.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            inputs.Add(new ImportContractInput { Name = OnnxTowerWriter.SlotInput, Vocabulary = "user_ids.txt" });
        }

        if (encoder.Categorical.Count > 0)
        {
            inputs.Add(new ImportContractInput
            {
                Name = OnnxTowerWriter.CategoricalInput,
                Source = ImportContractInput.ProfileSource,
                Shape = [-1, encoder.Categorical.Count],
                Fields = [.. encoder.Categorical.Select(f => new ImportContractField
                {
                    Field = f.Name,
                    Index = f.SchemaIndex,
                    Vocabulary = f.Bucketized ? null : f.Vocabulary,
                    Boundaries = f.Bucketized ? f.Boundaries : null,
                    Log = f.Bucketized && f.Log,
                    Offset = f.Offset,
                })],
            });
        }

        if (encoder.Continuous.Count > 0)
        {
            inputs.Add(new ImportContractInput
            {
                Name = OnnxTowerWriter.ContinuousInput,
                Source = ImportContractInput.ProfileSource,
                Dtype = "float32",
                Shape = [-1, encoder.Continuous.Count],
                Fields = [.. encoder.Continuous.Select(f => new ImportContractField { Field = f.Name, Index = f.SchemaIndex, Mean = f.Mean, Std = f.Std })],
            });
        }

        new ImportContract { Output = OnnxTowerWriter.Output, Dimension = artifact.Options.Dimension, Inputs = inputs }.Save(Path.Combine(outputDirectory, ContractFile));
        return true;
    }
}
