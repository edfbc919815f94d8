using System.Globalization;
using Microsoft.Extensions.Options;
using RecFramework.Channels;

namespace RecFramework.Pipeline;

/// <summary>Turns configuration plus a request's variant parameters into the list of channels to run.</summary>
internal sealed class RecallPlanner(ChannelCatalog catalog, IOptionsMonitor<ChannelOptions> channelOptions)
{
    public IReadOnlyList<ChannelPlan> Plan(IReadOnlyDictionary<string, string>? parameters, string fallbackChannel)
    {
        parameters ??= RecallRequest.EmptyParameters;
        IEnumerable<string> names;
        if (parameters.TryGetValue(RecallParameterKeys.Channels, out var list))
        {
            names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal);
        }
        else
        {
            names = catalog.Names.Where(n => channelOptions.Get(n).Enabled && n != fallbackChannel);
        }

        var plans = new List<ChannelPlan>();
        foreach (var name in names)
        {
            plans.Add(PlanFor(name, parameters));
        }

        return plans;
    }

    public ChannelPlan PlanFor(string name, IReadOnlyDictionary<string, string>? parameters)
    {
        parameters ??= RecallRequest.EmptyParameters;
        var options = channelOptions.Get(name);
        var channelParameters = new Dictionary<string, string>(options.Parameters, StringComparer.Ordinal);
        var prefix = name + ".";
        foreach (var (key, value) in parameters)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                channelParameters[key[prefix.Length..]] = value;
            }
        }

        var quota = ReadInt(channelParameters, RecallParameterKeys.Quota, options.Quota, name);
        var weight = ReadDouble(channelParameters, RecallParameterKeys.Weight, options.Weight, name);
        var timeout = ReadInt(channelParameters, RecallParameterKeys.TimeoutMs, options.TimeoutMs, name);
        return new ChannelPlan(name, quota, weight, TimeSpan.FromMilliseconds(timeout), channelParameters);
    }

    private static int ReadInt(Dictionary<string, string> parameters, string key, int fallback, string channel)
    {
        if (!parameters.TryGetValue(key, out var text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new RecFrameworkException(RecError.InvalidConfiguration, $"Parameter '{channel}.{key}' = '{text}' is not a positive integer.");
    }

    private static double ReadDouble(Dictionary<string, string> parameters, string key, double fallback, string channel)
    {
        if (!parameters.TryGetValue(key, out var text))
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && double.IsFinite(value)
            ? value
            : throw new RecFrameworkException(RecError.InvalidConfiguration, $"Parameter '{channel}.{key}' = '{text}' is not a non-negative number.");
    }
}
