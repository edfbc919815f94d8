using System.Globalization;

namespace RecFramework.Experiments.Operations;

/// <summary>The outcome of a lifecycle operation (or of its dry run).</summary>
/// <param name="Operation">create, start, stop, launch, close-reverse or rotate-holdout.</param>
/// <param name="Target">The experiment's name, or "holdout".</param>
/// <param name="DryRun">True when nothing was written.</param>
/// <param name="StoreVersion">Store version after the change (the current one for a dry run).</param>
/// <param name="ConfigVersion">Version stamp (digest) of the resulting configuration; what <c>GET /experiments</c> reports once served.</param>
/// <param name="Impact">Users the change moves.</param>
public sealed record ExperimentOperationResult(string Operation, string Target, bool DryRun, long StoreVersion, string ConfigVersion, ExperimentChangeImpact Impact)
{
    /// <summary>
    /// The result as text, one line each: what was done (or, for a dry run, that nothing was written) with the store
    /// and configuration versions, the users the change moves, then every transition indented
    /// ("  recall: exp-a/control -> default: 812"). What the <c>experiments</c> CLI verbs print.
    /// </summary>
    /// <returns>The lines, without line ends.</returns>
    public IReadOnlyList<string> Describe()
    {
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"{Operation} {Target}: {(DryRun ? "dry run, nothing written; store stays at" : "written as store")} version {StoreVersion}, configuration {ConfigVersion}"),
            string.Create(CultureInfo.InvariantCulture,
                $"  of {Impact.UsersCounted} users counted: {Impact.ChangedVariant} change variant, {Impact.ChangedParameters} change parameters, {Impact.EnteredHoldout} enter and {Impact.LeftHoldout} leave the holdout"),
        };
        lines.AddRange(Impact.Transitions.Select(t => string.Create(CultureInfo.InvariantCulture, $"  {t.Layer}: {t.From} -> {t.To}: {t.Users}")));
        return lines;
    }

    /// <summary>Writes the result as indented camelCase JSON (the shape the <c>/admin</c> endpoints answer) to <paramref name="path"/>, creating its folder.</summary>
    /// <param name="path">The file (relative to the working directory); replaced when it exists.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public Task WriteJsonAsync(string path, CancellationToken cancellationToken = default) => ExperimentsJson.WriteFileAsync(path, this, cancellationToken);
}
