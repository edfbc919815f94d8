namespace RecFramework.Experiments.Operations;

/// <summary>Counts the users a change moves by assigning each under the compiled state before and after.</summary>
internal static class ImpactCounter
{
    private const int MaxTransitions = 50;

    /// <summary>The users of <paramref name="request"/>: its sample, or its id range.</summary>
    /// <exception cref="ExperimentOperationException">The range is empty or larger than <see cref="ExperimentChangeRequest.MaxImpactUsers"/>.</exception>
    public static IReadOnlyList<long> Users(ExperimentChangeRequest request)
    {
        if (request.Users is { } sample)
        {
            if (sample.Count is 0 or > ExperimentChangeRequest.MaxImpactUsers)
            {
                throw new ExperimentOperationException(ExperimentOperationError.InvalidValue, $"users holds {sample.Count} ids; give 1 to {ExperimentChangeRequest.MaxImpactUsers}.");
            }

            return sample;
        }

        var (from, to) = (request.UserIdFrom, request.UserIdTo);
        if (from > to || to - from >= ExperimentChangeRequest.MaxImpactUsers)
        {
            throw new ExperimentOperationException(
                ExperimentOperationError.InvalidValue,
                $"userIdFrom {from} to userIdTo {to} is not a range of 1 to {ExperimentChangeRequest.MaxImpactUsers} user ids.");
        }

        var users = new long[to - from + 1];
        for (var i = 0; i < users.Length; i++)
        {
            users[i] = from + i;
        }

        return users;
    }

    public static ExperimentChangeImpact Count(RouterState before, RouterState after, IReadOnlyList<long> users)
    {
        int changedVariant = 0, changedParameters = 0, entered = 0, left = 0;
        var transitions = new Dictionary<(string Layer, string From, string To), int>();
        foreach (var user in users)
        {
            var a = ExperimentRouter.Assign(before, user);
            var b = ExperimentRouter.Assign(after, user);
            var moved = a.Holdout != b.Holdout;
            entered += !a.Holdout && b.Holdout ? 1 : 0;
            left += a.Holdout && !b.Holdout ? 1 : 0;
            for (var i = 0; i < Math.Min(a.Layers.Count, b.Layers.Count); i++)
            {
                var from = Label(a.Layers[i]);
                var to = Label(b.Layers[i]);
                if (!string.Equals(from, to, StringComparison.Ordinal))
                {
                    moved = true;
                    var key = (a.Layers[i].Layer, from, to);
                    transitions[key] = transitions.GetValueOrDefault(key) + 1;
                }
            }

            changedVariant += moved ? 1 : 0;
            changedParameters += SameParameters(a.Parameters, b.Parameters) ? 0 : 1;
        }

        var list = transitions
            .OrderByDescending(t => t.Value).ThenBy(t => t.Key.Layer, StringComparer.Ordinal).ThenBy(t => t.Key.From, StringComparer.Ordinal).ThenBy(t => t.Key.To, StringComparer.Ordinal)
            .Take(MaxTransitions)
            .Select(t => new VariantTransition(t.Key.Layer, t.Key.From, t.Key.To, t.Value))
            .ToArray();
        return new ExperimentChangeImpact(users.Count, changedVariant, changedParameters, entered, left, list);
    }

    /// <summary>"experiment/variant" (a reverse bucket: "experiment/reverse"), or "default" / "holdout".</summary>
    private static string Label(LayerAssignment layer) => layer.Experiment is null ? layer.Variant : layer.Experiment + "/" + layer.Variant;

    private static bool SameParameters(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a.Count != b.Count)
        {
            return false;
        }

        foreach (var (key, value) in a)
        {
            if (!b.TryGetValue(key, out var other) || !string.Equals(value, other, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
