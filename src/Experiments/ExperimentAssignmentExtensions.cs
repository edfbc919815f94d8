using RecFramework.Pipeline;

namespace RecFramework.Experiments;

/// <summary>Helpers to feed an assignment into the recall pipeline.</summary>
public static class ExperimentAssignmentExtensions
{
    /// <summary>
    /// <paramref name="request"/> with the assignment's merged parameters; parameters already on the request win
    /// (explicit overrides from the caller).
    /// </summary>
    public static RecommendRequest WithAssignment(this RecommendRequest request, ExperimentAssignment assignment)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(assignment);
        if (request.Parameters is not { Count: > 0 } explicitParameters)
        {
            return request with { Parameters = assignment.Parameters };
        }

        var merged = new Dictionary<string, string>(assignment.Parameters, StringComparer.Ordinal);
        foreach (var (key, value) in explicitParameters)
        {
            merged[key] = value;
        }

        return request with { Parameters = merged };
    }
}
