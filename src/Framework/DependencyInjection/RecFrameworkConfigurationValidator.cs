using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using RecFramework.Channels;
using RecFramework.Pipeline;

namespace RecFramework.DependencyInjection;

/// <summary>Cross-object rules: configured channel sections and the fallback must name registered channels.</summary>
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
