using RecFramework.Channels.TwoTower.Serving;

namespace RecFramework.Channels.TwoTower.Import;

/// <summary>
/// Exports a published two-tower version in the import format: the user tower as ONNX
/// (<c>user_tower.onnx</c>, the same vectors as the TorchSharp tower), the item vectors as <c>item_vectors.npy</c> with
/// <c>item_ids.txt</c>, and — for a tower that reads only the user id — <c>contract.json</c> with
/// <c>user_ids.txt</c>, so the folder imports as it is. A tower with profile features gets an ONNX model whose inputs
/// are the encoded <c>user_slot</c>, <c>categorical</c> and <c>continuous</c> tensors and no contract (the contract
/// has no profile sources yet).
/// </summary>
public static class TwoTowerOnnxExport
{
    /// <summary>Name of the ONNX user tower written.</summary>
    public const string OnnxFile = "user_tower.onnx";

    /// <summary>Name of the contract written for id-only towers.</summary>
    public const string ContractFile = "contract.json";

    /// <summary>Name of the item vectors written.</summary>
    public const string VectorsFile = "item_vectors.npy";

    /// <summary>Name of the item ids written (row order of <see cref="VectorsFile"/>).</summary>
    public const string ItemIdsFile = "item_ids.txt";

    /// <summary>Writes the export of the artifact in <paramref name="artifactDirectory"/> into <paramref name="outputDirectory"/>.</summary>
    /// <returns>Whether a contract was written (the tower reads only the user id).</returns>
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
        var idsOnly = artifact.Options.UseIds && encoder.Categorical.Count == 0 && encoder.Continuous.Count == 0 && encoder.IdHashBuckets == 0;
        if (idsOnly)
        {
            File.WriteAllLines(Path.Combine(outputDirectory, "user_ids.txt"), encoder.IdVocabulary.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            new ImportContract
            {
                Output = OnnxTowerWriter.Output,
                Dimension = artifact.Options.Dimension,
                Inputs = [new ImportContractInput { Name = OnnxTowerWriter.SlotInput, Vocabulary = "user_ids.txt" }],
            }.Save(Path.Combine(outputDirectory, ContractFile));
        }

        return idsOnly;
    }
}
