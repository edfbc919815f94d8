namespace RecFramework.Data;

/// <summary>Collects malformed-row errors for one load: throws at once in strict mode, else counts them.</summary>
internal sealed class RowErrorSink(LoadOptions options)
{
    private readonly List<string> _errors = [];

    public int Rows { get; set; }

    public int Skipped { get; private set; }

    /// <summary>Reports a malformed row; throws unless skipping is enabled.</summary>
    public void Fail(string file, int line, string reason, string value)
    {
        var message = $"{file}:{line}: {reason} ({Truncate(value)})";
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
