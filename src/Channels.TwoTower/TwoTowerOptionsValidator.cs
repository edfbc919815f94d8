using Microsoft.Extensions.Options;

namespace RecFramework.Channels.TwoTower;

/// <summary>Cross-field rules of <see cref="TwoTowerOptions"/>, reported all at once with the channel name.</summary>
internal sealed class TwoTowerOptionsValidator : IValidateOptions<TwoTowerOptions>
{
    public ValidateOptionsResult Validate(string? name, TwoTowerOptions options)
    {
        var failures = new List<string>();
        try
        {
            if (options.HiddenWidths().Any(w => w <= 0))
            {
                failures.Add($"Channel '{name}': HiddenLayers '{options.HiddenLayers}' must list positive widths.");
            }
        }
        catch (FormatException)
        {
            failures.Add($"Channel '{name}': HiddenLayers '{options.HiddenLayers}' is not a comma-separated list of integers.");
        }

        if (options.Mode != TrainingMode.InBatchSoftmax && options.Negatives < 1)
        {
            failures.Add($"Channel '{name}': mode {options.Mode} needs Negatives >= 1, got {options.Negatives}.");
        }

        if (options.HardNegativeRatio > 0 && options.Mode == TrainingMode.InBatchSoftmax)
        {
            failures.Add($"Channel '{name}': HardNegativeRatio {options.HardNegativeRatio} needs a sampled mode (Pointwise, Pairwise*, Listwise), not InBatchSoftmax.");
        }

        if (options.GlobalNegatives > 0 && options.Mode != TrainingMode.InBatchSoftmax)
        {
            failures.Add($"Channel '{name}': GlobalNegatives {options.GlobalNegatives} adds drawn items to the in-batch softmax; mode {options.Mode} draws its own (Negatives).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
