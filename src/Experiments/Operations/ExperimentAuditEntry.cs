using System.Globalization;
using System.Text.Json;

namespace RecFramework.Experiments.Operations;

/// <summary>One change in the audit trail of an <see cref="IExperimentStore"/>.</summary>
/// <param name="Version">Store version the change produced.</param>
/// <param name="Time">When the change was written (UTC).</param>
/// <param name="Operation">create, start, stop, launch, close-reverse or rotate-holdout.</param>
/// <param name="Target">The experiment's name, or "holdout".</param>
/// <param name="Key">Who made it: the admin key's fingerprint (<c>admin-key:sha256:…</c>, never the key) or <c>cli:user</c>.</param>
/// <param name="Detail">The operation's arguments ("variant=treatment reverseShare=0.05").</param>
/// <param name="ConfigVersionBefore">Version stamp (digest) of the configuration before.</param>
/// <param name="ConfigVersionAfter">Version stamp (digest) of the configuration after.</param>
/// <param name="Before">The target before the change (the experiment or the holdout); null when created.</param>
/// <param name="After">The target after the change.</param>
public sealed record ExperimentAuditEntry(
    long Version,
    DateTimeOffset Time,
    string Operation,
    string Target,
    string Key,
    string Detail,
    string ConfigVersionBefore,
    string ConfigVersionAfter,
    JsonElement? Before,
    JsonElement? After)
{
    /// <summary>
    /// The entry as one line: version, time, operation, target, key, detail and the configuration versions
    /// ("v2 2026-12-06 20:00:00Z launch exp-a by cli:alice variant=treatment reverseShare=0.05 (3f2a… -> 9c1b…)"); the
    /// before and after documents are left out. What the <c>experiments audit</c> CLI verb prints.
    /// </summary>
    /// <returns>The line, without a line end.</returns>
    public string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"v{Version} {Time:u} {Operation} {Target} by {Key} {Detail} ({ConfigVersionBefore} -> {ConfigVersionAfter})");
}
