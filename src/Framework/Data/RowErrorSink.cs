namespace RecFramework.Data;

/// <summary>Collects malformed-row errors for one load: throws at once in strict mode, else counts them.</summary>
internal sealed class RowErrorSink(LoadOptions options)
{
    private readonly List<string> _errors = [];

    public int Rows { get; set; }

    public int Skipped { get; private set; }

    /// <summary>Reports a malformed row; throws unless skipping is enabled.</summary>
    public void Fail(string file, int line, string reason, string value) => Fail($"{file}:{line}", reason, value);

    /// <summary>Reports a malformed record at <paramref name="location"/> ("events:seq 17", "user profile 5").</summary>
    public void Fail(string location, string reason, string value)
    {
        var message = $"{location}: {reason} ({Truncate(value)})";
        if (!options.SkipMalformedRows)
        {
            throw new RecFrameworkException(RecError.MalformedInput, message);
        }

        Skipped++;
        if (_errors.Count < options.MaxErrorsReported)
        {
            _errors.Add(message);
        }
    }

    public LoadReport ToReport() => new() { Rows = Rows, SkippedRows = Skipped, Errors = _errors.ToArray() };

    private static string Truncate(string value) => DelimitedText.Printable(value);
}
