using RecFramework.Artifacts;

namespace RecFramework.Lifecycle;

/// <summary>
/// The store a build publishes through when <see cref="ChannelBuildSettings"/> carries manifest entries: every call
/// goes to the inner store, and <see cref="Publish"/> adds the entries to the manifest first, so any builder's
/// versions carry them without the builder knowing.
/// </summary>
internal sealed class AnnotatingArtifactStore(IArtifactStore inner, IReadOnlyDictionary<string, string> properties, IReadOnlyDictionary<string, double> metrics) : IArtifactStore
{
    public ArtifactDraft CreateDraft(string channel) => inner.CreateDraft(channel);

    public ArtifactHandle Publish(ArtifactDraft draft, ArtifactManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var annotated = manifest with
        {
            Properties = new Dictionary<string, string>(manifest.Properties),
            Metrics = new Dictionary<string, double>(manifest.Metrics),
        };
        foreach (var (key, value) in properties)
        {
            annotated.Properties[key] = value;
        }

        foreach (var (key, value) in metrics)
        {
            annotated.Metrics[key] = value;
        }

        return inner.Publish(draft, annotated);
    }

    public IReadOnlyList<ArtifactManifest> List(string channel) => inner.List(channel);

    public IReadOnlyList<ArtifactListing> ListAll(string channel) => inner.ListAll(channel);

    public ArtifactHandle Open(string channel, string? version = null) => inner.Open(channel, version);

    public string? ActiveVersion(string channel) => inner.ActiveVersion(channel);

    public void SetActiveVersion(string channel, string version) => inner.SetActiveVersion(channel, version);

    public void Delete(string channel, string version) => inner.Delete(channel, version);
}
