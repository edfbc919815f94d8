using Microsoft.FeatureManagement.FeatureFilters;

namespace RecFramework.Experiments.FeatureManagement;

/// <summary>
/// A FeatureManagement targeting context carrying a router assignment. Its groups name the assignment, so variant
/// allocation by group works without re-hashing: <c>holdout</c>; per layer <c>{layer}/{variant}</c> on the default
/// or in the holdout, <c>{layer}/{experiment}</c> and <c>{layer}/{experiment}/{variant}</c> in an experiment.
/// </summary>
public sealed class ExperimentTargetingContext : ITargetingContext
{
    /// <summary>Wraps <paramref name="assignment"/>.</summary>
    public ExperimentTargetingContext(ExperimentAssignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        Assignment = assignment;
        UserId = assignment.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var groups = new List<string>(assignment.Layers.Count * 2 + 1);
        if (assignment.Holdout)
        {
            groups.Add(LayerAssignment.HoldoutVariant);
        }

        foreach (var layer in assignment.Layers)
        {
            if (layer.Experiment is null)
            {
                groups.Add($"{layer.Layer}/{layer.Variant}");
            }
            else
            {
                groups.Add($"{layer.Layer}/{layer.Experiment}");
                groups.Add($"{layer.Layer}/{layer.Experiment}/{layer.Variant}");
            }
        }

        Groups = groups;
    }

    /// <summary>The router's assignment.</summary>
    public ExperimentAssignment Assignment { get; }

    /// <inheritdoc />
    public string UserId { get; set; }

    /// <inheritdoc />
    public IEnumerable<string> Groups { get; set; }
}
