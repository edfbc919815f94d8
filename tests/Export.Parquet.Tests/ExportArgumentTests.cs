using RecFramework.Data;

namespace RecFramework.Export.Parquet.Tests;

/// <summary>Refusals name the bad value; a refused export writes nothing.</summary>
public sealed class ExportArgumentTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly InteractionDataset _data = new("tiny", [new Interaction(1, 2, InteractionType.Click, 1_800_000_000)]);

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(0, 8, "row group size must be at least 1; got 0")]
    [InlineData(100, -3, "open day partitions must be at least 1; got -3")]
    public async Task RefusesNumbersBelowOne(int rowGroupSize, int maxOpenDays, string message)
    {
        var ex = await Assert.ThrowsAsync<RecFrameworkException>(() =>
            TrainingDataExporter.ExportAsync(_data, _dir.Path, new TrainingExportOptions { RowGroupSize = rowGroupSize, MaxOpenDays = maxOpenDays }));

        Assert.Equal(RecError.InvalidArgument, ex.Error);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir.Path));
    }

    [Fact]
    public async Task RefusesADirectoryHoldingAnExportUnlessOverwriting()
    {
        await TrainingDataExporter.ExportAsync(_data, _dir.Path);

        var ex = await Assert.ThrowsAsync<RecFrameworkException>(() => TrainingDataExporter.ExportAsync(_data, _dir.Path));
        var again = await TrainingDataExporter.ExportAsync(_data.With("tiny", [new Interaction(1, 2, InteractionType.Click, 1_900_000_000)]), _dir.Path,
            new TrainingExportOptions { Overwrite = true });

        Assert.Contains("already holds an export (schema.json, users.parquet, items.parquet, events)", ex.Message, StringComparison.Ordinal);
        Assert.Equal(["2030-03-17"], again.Days.Select(d => d.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Single(Directory.GetDirectories(Path.Combine(_dir.Path, "events")));
    }

    [Fact]
    public async Task SkipsEventsThatCannotBeExportedAndCountsThem()
    {
        var data = _data.With("odd", [new Interaction(1, 2, (InteractionType)42, 1_800_000_000), new Interaction(1, 2, InteractionType.Click, 1_800_000_000, float.NaN),
            new Interaction(3, 4, InteractionType.Like, 1_800_000_000)]);

        var report = await TrainingDataExporter.ExportAsync(data, _dir.Path);

        Assert.Equal(1, report.Events);
        Assert.Equal(2, report.Skipped);
    }
}
