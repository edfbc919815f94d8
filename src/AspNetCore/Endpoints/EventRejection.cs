namespace RecFramework.AspNetCore;

/// <summary>Why one event was refused: the field, its value as sent (or null when missing) and the rule it breaks.</summary>
internal sealed record EventRejection(string Field, string? Value, string Rule)
{
    /// <summary>"field 'value' rule", the value cut to <see cref="ProblemText.MaxValueLength"/> characters.</summary>
    public string Reason => Value is null ? $"{Field} {Rule}" : $"{Field} '{ProblemText.Truncate(Value)}' {Rule}";
}
