using RecFramework.Artifacts;

namespace RecFramework.Lifecycle;

/// <summary>
/// The store one build publishes through (<see cref="ChannelLifecycle.BuildAsync"/>): every call goes to the inner
/// store; <see cref="Publish"/> adds the build's manifest entries (<see cref="ChannelBuildSettings"/>) first, so any
/// builder's versions carry them without the builder knowing; and the drafts the builder created but never published
/// are remembered, so that a build that fails or is cancelled leaves no staging folder behind
/// (<see cref="DiscardUnpublished"/>), whichever builder it was.
/// </summary>
internal sealed class BuildArtifactStore(IArtifactStore inner, IReadOnlyDictionary<string, string> properties, IReadOnlyDictionary<string, double> metrics) : IArtifactStore
{
    private readonly List<ArtifactDraft> _open = [];

    public ArtifactDraft CreateDraft(string channel)
    {
        var draft = inner.CreateDraft(channel);
        lock (_open)
        {
            _open.Add(draft);
        }

        return draft;
    }

    public ArtifactHandle Publish(ArtifactDraft draft, ArtifactManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var annotated = manifest;
        if (properties.Count + metrics.Count > 0)
        {
            annotated = manifest with
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
        }

        var handle = inner.Publish(draft, annotated);
        lock (_open)
        {
            _open.Remove(draft);
        }

        return handle;
    }

    /// <summary>
    /// Deletes the staging folders of the drafts created through this store and not published (best effort: a folder
    /// that cannot be deleted now is left to <see cref="FileArtifactStore.DeleteLeftovers"/> at the next worker start).
    /// </summary>
    /// <returns>The versions whose drafts were removed.</returns>
    public IReadOnlyList<string> DiscardUnpublished()
    {
        ArtifactDraft[] open;
        lock (_open)
        {
            open = [.. _open];
            _open.Clear();
        }

        var removed = new List<string>();
        foreach (var draft in open)
        {
            try
            {
                if (Directory.Exists(draft.Directory))
                {
                    Directory.Delete(draft.Directory, recursive: true);
                }

                removed.Add(draft.Version);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A file still open on this platform; the next worker start removes the folder.
            }
        }

        return removed;
    }

    public IReadOnlyList<ArtifactManifest> List(string channel) => inner.List(channel);

    public IReadOnlyList<ArtifactListing> ListAll(string channel) => inner.ListAll(channel);

    public ArtifactHandle Open(string channel, string? version = null) => inner.Open(channel, version);

    public string? ActiveVersion(string channel) => inner.ActiveVersion(channel);

    public void SetActiveVersion(string channel, string version) => inner.SetActiveVersion(channel, version);

    public void Delete(string channel, string version) => inner.Delete(channel, version);
}
