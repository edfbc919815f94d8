using RecFramework.Testing;
using CsCheck;
using RecFramework.Data;

namespace RecFramework.Tests.Data;

/// <summary>
/// Property tests (CsCheck, 400 cases each, reproducible from the seed CsCheck prints on failure) of the CSV/TSV
/// loaders: random and mutated files never throw anything but <see cref="RecFrameworkException"/>
/// (<see cref="RecError.MalformedInput"/>) with a printable reason.
/// </summary>
public sealed class LoaderPropertyTests : IDisposable
{
    private static readonly string[] Fragments =
    [
        "user_id,item_id,timestamp", "user_id\titem_id\ttimestamp\tevent", "user_id,item_id,timestamp,event,weight", "item_id,user_id",
        "1,2,3", "1,2,2026-12-06T00:00:00Z", "\"7,8\",2,3", "\"", "\"\"\"", ",,,", "-1,0,-5", "99999999999999999999,1,1", "1,2,1e30",
        "\u0000\u00ff\ufffd", "1,2,3,click,NaN", "1,2,3,purchase,-Infinity", "1\t2\t300\tview", "", " ", "0001-01-01T00:00:00Z,1,1", "1,2,-1",
    ];

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Gen<string> Lines => Gen.OneOf(
        Gen.OneOf(Fragments).Array[0, 12].Select(lines => string.Join('\n', lines)),
        Gen.OneOf(Fragments).Array[1, 6].Select(Gen.Int[0, 40], Gen.Char, (lines, at, c) =>
        {
            var text = string.Join('\n', lines);
            return text.Length == 0 ? text : text.Insert(Math.Min(at, text.Length), c.ToString());
        }),
        Gen.String[0, 200]);

    private void AssertOnlyFrameworkErrors(Action load)
    {
        try
        {
            load();
        }
        catch (RecFrameworkException ex)
        {
            Assert.True(ex.Error is RecError.MalformedInput or RecError.InvalidConfiguration or RecError.InvalidArgument, $"{ex.Error}: {ex.Message}");
            Assert.False(string.IsNullOrWhiteSpace(ex.Message));
            Assert.DoesNotContain(ex.Message, c => char.IsControl(c) || c == '\ufffd');
        }
    }

    [Fact]
    public void RandomInteractionFilesLoadOrFailWithAPrintableReason()
    {
        Lines.SampleSeeded(text =>
        {
            var path = _dir.Write($"{Guid.NewGuid():N}.csv", text);
            AssertOnlyFrameworkErrors(() => DelimitedInteractionLoader.Load(path));
            AssertOnlyFrameworkErrors(() => DelimitedInteractionLoader.Load(path, null, null, null, new LoadOptions { SkipMalformedRows = true }, out _));
        }, iter: 400);
    }

    [Fact]
    public void RandomBytesFailWithADescriptionNotTheBytes()
    {
        Gen.Byte.Array[1, 400].SampleSeeded(bytes =>
        {
            var path = Path.Combine(_dir.Path, $"{Guid.NewGuid():N}.csv");
            File.WriteAllBytes(path, bytes);
            AssertOnlyFrameworkErrors(() => DelimitedInteractionLoader.Load(path));
        }, iter: 400);
    }

    [Fact]
    public void AProfileColumnWithControlCharactersInItsNameIsNamedPrintably()
    {
        // Found by the random profile property on CI: the unknown-kind message printed the column name raw.
        var interactions = _dir.Write("interactions.csv", "user_id,item_id,timestamp\n1,10,100\n2,10,101\n");
        var path = _dir.Write("users.csv", "user_id,\0\u00ff\ufffd:");

        var error = Assert.Throws<RecFrameworkException>(() => DelimitedInteractionLoader.Load(interactions, path, null, null));

        Assert.Contains("has unknown kind", error.Message, StringComparison.Ordinal);
        AssertOnlyFrameworkErrors(() => DelimitedInteractionLoader.Load(interactions, path, null, null));
    }

    [Fact]
    public void RandomProfileFilesLoadOrFailWithAPrintableReason()
    {
        var interactions = _dir.Write("interactions.csv", "user_id,item_id,timestamp\n1,10,100\n2,10,101\n");
        Gen.Select(Lines, Gen.Bool).SampleSeeded(((string Text, bool Users) c) =>
        {
            var (text, users) = c;
            var path = _dir.Write($"{Guid.NewGuid():N}.csv", (users ? "user_id," : "item_id,") + text);
            AssertOnlyFrameworkErrors(() => DelimitedInteractionLoader.Load(interactions, users ? path : null, users ? null : path, null));
        }, iter: 400);
    }

    [Fact]
    public void ABinaryFilesErrorDescribesTheBytesInsteadOfPrintingThem()
    {
        // Issue 21, case 11: the header of a binary file was echoed raw into the error.
        var bytes = new byte[512];
        new Random(11).NextBytes(bytes);
        var path = Path.Combine(_dir.Path, "binary.csv");
        File.WriteAllBytes(path, [.. "user_id,"u8, .. bytes]);

        var error = Assert.Throws<RecFrameworkException>(() => DelimitedInteractionLoader.Load(path));

        Assert.Equal(RecError.MalformedInput, error.Error);
        Assert.DoesNotContain(error.Message, c => char.IsControl(c) || c == '\ufffd');
        Assert.InRange(error.Message.Length, 1, 400 + path.Length);
    }
}
