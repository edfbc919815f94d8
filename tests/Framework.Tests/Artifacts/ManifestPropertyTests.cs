using RecFramework.Testing;
using CsCheck;
using RecFramework.Artifacts;

namespace RecFramework.Tests.Artifacts;

/// <summary>
/// Property tests (CsCheck, 300 cases each) of the manifest reader: a random or mutated manifest never fails the
/// listing, and opening it fails only with <see cref="RecFrameworkException"/> and a reason.
/// </summary>
public sealed class ManifestPropertyTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "recfw-manifest-props-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static readonly string[] Replacements = ["null", "0", "-1", "\"\"", "[]", "{}", "\"v0001\"", "\"../x\"", "1e400", "true", "[null]", "\"\\u0000\""];

    [Fact]
    public void MutatedManifestsAreListedAsInvalidOrOpenOnlyWithFrameworkErrors()
    {
        var store = new FileArtifactStore(_root);
        var draft = store.CreateDraft("itemcf");
        File.WriteAllText(draft.PathOf("data.txt"), "payload");
        var handle = store.Publish(draft, new ArtifactManifest { Channel = "itemcf", Version = draft.Version, Metrics = { ["loss"] = 1 }, Properties = { ["k"] = "v" } });
        var manifestPath = Path.Combine(handle.Directory, "manifest.json");
        var original = File.ReadAllText(manifestPath);
        var tokens = System.Text.RegularExpressions.Regex.Matches(original, "\"[^\"]*\"|-?[0-9][0-9.eE+-]*|true|false|null|\\[\\]|\\{\\}").ToArray();

        var mutation = Gen.OneOf(
            Gen.Select(Gen.Int[0, tokens.Length - 1], Gen.OneOf(Replacements), (i, r) => original[..tokens[i].Index] + r + original[(tokens[i].Index + tokens[i].Length)..]),
            Gen.Select(Gen.Int[0, original.Length - 1], Gen.Int[1, 40], (at, length) => original.Remove(at, Math.Min(length, original.Length - at))),
            Gen.String[0, 300]);

        mutation.SampleSeeded(text =>
        {
            File.WriteAllText(manifestPath, text);
            var listing = Assert.Single(store.ListAll("itemcf"));
            Assert.True(listing.IsValid || !string.IsNullOrEmpty(listing.Problem));
            try
            {
                store.Open("itemcf", listing.Version);
            }
            catch (RecFrameworkException ex)
            {
                Assert.Contains(ex.Error, new[] { RecError.ArtifactCorrupt, RecError.ArtifactNotFound });
                Assert.False(string.IsNullOrWhiteSpace(ex.Message));
            }
        }, iter: 300);
    }
}
