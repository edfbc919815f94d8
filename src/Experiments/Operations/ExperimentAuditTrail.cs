using System.Globalization;

namespace RecFramework.Experiments.Operations;

/// <summary>The state of an <see cref="IExperimentStore"/>'s history: its version and every change, oldest first.</summary>
/// <param name="StoreVersion">The store's version (0 while nothing was ever written).</param>
/// <param name="Entries">The audit trail, oldest first.</param>
public sealed record ExperimentAuditTrail(long StoreVersion, IReadOnlyList<ExperimentAuditEntry> Entries)
{
    /// <summary>Reads the version and the audit trail of <paramref name="store"/>.</summary>
    /// <param name="store">The experiment store.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The trail.</returns>
    public static async Task<ExperimentAuditTrail> ReadAsync(IExperimentStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var stored = await store.ReadAsync(cancellationToken).ConfigureAwait(false);
        var entries = await store.ReadAuditAsync(cancellationToken).ConfigureAwait(false);
        return new ExperimentAuditTrail(stored?.Version ?? 0, entries);
    }

    /// <summary>
    /// The trail as text: "store version 3, 3 audit entries", then each entry indented
    /// (<see cref="ExperimentAuditEntry.Describe"/>). What the <c>experiments audit</c> CLI verb prints.
    /// </summary>
    /// <returns>The lines, without line ends.</returns>
    public IReadOnlyList<string> Describe() =>
        [string.Create(CultureInfo.InvariantCulture, $"store version {StoreVersion}, {Entries.Count} audit entries"), .. Entries.Select(e => "  " + e.Describe())];

    /// <summary>Writes the trail as indented camelCase JSON (<c>storeVersion</c>, <c>entries</c>) to <paramref name="path"/>, creating its folder.</summary>
    /// <param name="path">The file (relative to the working directory); replaced when it exists.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public Task WriteJsonAsync(string path, CancellationToken cancellationToken = default) => ExperimentsJson.WriteFileAsync(path, this, cancellationToken);
}
