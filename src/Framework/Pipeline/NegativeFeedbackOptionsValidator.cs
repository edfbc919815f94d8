using Microsoft.Extensions.Options;

namespace RecFramework.Pipeline;

/// <summary>Rules the data annotations cannot state: every entry of <see cref="NegativeFeedbackOptions.Fields"/> names a field.</summary>
internal sealed class NegativeFeedbackOptionsValidator : IValidateOptions<NegativeFeedbackOptions>
{
    public ValidateOptionsResult Validate(string? name, NegativeFeedbackOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.Fields.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(options.Fields[i]))
            {
                failures.Add($"{NegativeFeedbackOptions.Section}:Fields:{i} = '{options.Fields[i]}' is not a field name (empty).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
