using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using RecFramework.Channels;
using RecFramework.Pipeline;

namespace RecFramework.DependencyInjection;

/// <summary>
/// Cross-object rules: configured channel sections and the fallback must name registered channels; sections moved by
/// the configuration migration (top-level <c>Experiments</c>, <c>RecFramework:Channels:{name}:TwoTower</c>) are
/// reported instead of being silently ignored.
/// </summary>
internal sealed class RecFrameworkConfigurationValidator(IConfiguration configuration, ChannelCatalog catalog) : IValidateOptions<RecallPipelineOptions>
{
    public ValidateOptionsResult Validate(string? name, RecallPipelineOptions options)
    {
        var failures = new List<string>();
        foreach (var section in configuration.GetSection(ChannelOptions.Section).GetChildren())
        {
            if (!catalog.Contains(section.Key))
            {
                failures.Add($"RecFramework:Channels:{section.Key} configures channel '{section.Key}', which is not registered (registered: {string.Join(", ", catalog.Names)}).");
            }

            if (section.GetSection("TwoTower").Exists())
            {
                failures.Add($"RecFramework:Channels:{section.Key}:TwoTower is no longer read: move it to {ChannelOptions.OptionsSectionOf(section.Key)} (docs/configuration.md, migrating from older keys).");
            }
        }

        if (configuration.GetSection("Experiments").Exists())
        {
            failures.Add("The top-level Experiments section is no longer read: move it to RecFramework:Experiments (docs/configuration.md, migrating from older keys).");
        }

        if (!catalog.Contains(options.FallbackChannel))
        {
            failures.Add($"RecFramework:Pipeline:FallbackChannel = '{options.FallbackChannel}' is not a registered channel (registered: {string.Join(", ", catalog.Names)}).");
        }

        if (options.DefaultK > options.MaxK)
        {
            failures.Add($"RecFramework:Pipeline:DefaultK = {options.DefaultK} exceeds MaxK = {options.MaxK}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
