using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using RecFramework.Data;

namespace RecFramework.Bench.Tests;

/// <summary>
/// The .npy files the catalogue-scale PyTorch reference reads (bench/NpyFolder.cs): NumPy's format 1.0 header and the
/// encoding of events and profiles the script's header describes.
/// </summary>
public sealed partial class NpyFolderTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "rf-npy-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void AnArrayHasNumPysHeaderPaddedTo64BytesAndItsValuesInCOrder()
    {
        Directory.CreateDirectory(_folder);
        var path = Path.Combine(_folder, "a.npy");
        NpyFolder.WriteArray<int>(path, [1, -2, 3, 4, 5, 6], 2, 3);
        var bytes = System.IO.File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }, bytes[..8]);
        var headerLength = bytes[8] | (bytes[9] << 8);
        Assert.Equal(0, (10 + headerLength) % 64);
        var header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.Equal("{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }", header.TrimEnd());
        Assert.EndsWith("\n", header, StringComparison.Ordinal);
        Assert.Equal(new[] { 1, -2, 3, 4, 5, 6 }, MemoryMarshal.Cast<byte, int>(bytes.AsSpan(10 + headerLength)).ToArray());

        NpyFolder.WriteArray<long>(path, [7L, 8L], 2);
        Expect<long>([7, 8], [2], Read<long>(path, "<i8"));
        Assert.Throws<ArgumentException>(() => NpyFolder.WriteArray<float>(path, [1f, 2f, 3f], 2, 2));
    }

    [Fact]
    public void ADataSetIsWrittenAsEventsAndCodedProfiles()
    {
        var users = new ProfileTable(
            new FeatureSchema([new FeatureSpec("gender", FeatureKind.Categorical), new FeatureSpec("age", FeatureKind.Continuous), new FeatureSpec("interests", FeatureKind.MultiCategorical)]),
            [new Profile(20, [["m"], ["31"], ["b", "a"]]), new Profile(10, [["f"], ["not a number"], []]), new Profile(30, [[], ["40.5"], ["c"]])]);
        var items = new ProfileTable(new FeatureSchema([new FeatureSpec("category", FeatureKind.Categorical)]), [new Profile(5, [["x"]])]);
        Interaction[] events =
        [
            new(10, 5, InteractionType.Click, 100),
            new(20, 5, InteractionType.Impression, 101), // not a positive: not written
            new(30, 6, InteractionType.Like, 102),
        ];

        var written = NpyFolder.Write(_folder, new InteractionDataset("t", events, users, items));

        Assert.Equal(2, written);
        Expect<long>([10, 5, 100, 30, 6, 102], [2, 3], Read<long>(File("events.npy"), "<i8"));
        Expect<long>([10, 20, 30], [3], Read<long>(File("user_ids.npy"), "<i8"));
        // Codes by ordinal order of the values (f = 0, m = 1); -1 where the profile has none.
        Expect<int>([0, 1, -1], [3, 1], Read<int>(File("user_categorical.npy"), "<i4"));
        // a = 0, b = 1, c = 2; rows as long as the longest list, padded with -1.
        Expect<int>([-1, -1, 1, 0, 2, -1], [3, 2], Read<int>(File("user_multi.npy"), "<i4"));
        Expect<float>([0f, 31f, 40.5f], [3, 1], Read<float>(File("user_continuous.npy"), "<f4"));
        Expect<int>([0], [1, 1], Read<int>(File("item_categorical.npy"), "<i4"));
        Expect<int>([], [1, 0], Read<int>(File("item_multi.npy"), "<i4"));
        Expect<float>([], [1, 0], Read<float>(File("item_continuous.npy"), "<f4"));
    }

    [Fact]
    public void TheScaleReferenceRefusesParametersItDoesNotMirrorNamingThem()
    {
        var mirrored = new Dictionary<string, string> { ["sparseembeddings"] = "true", ["indexdescription"] = "IVF8,Flat", ["validationfraction"] = "0.05", ["threads"] = "2", ["refit"] = "false" };
        Assert.Null(NpyFolder.ReferenceUnusable(mirrored));
        Assert.Equal("--set dimension, epochs changes the model the reference mirrors",
            NpyFolder.ReferenceUnusable(new Dictionary<string, string>(mirrored) { ["epochs"] = "2", ["dimension"] = "32" }));
        Assert.Equal("the reference mirrors sparse tables (sparseembeddings=true)",
            NpyFolder.ReferenceUnusable(new Dictionary<string, string>(mirrored) { ["sparseembeddings"] = "false" }));
    }

    [SkippableFact]
    public void TheScaleReferenceTrainsOneEpochOverTheWrittenEvents()
    {
        var (torch, _, why) = Run(["-c", "import torch, numpy"]);
        Skip.If(torch != 0, $"/usr/bin/python3 cannot import torch and numpy (install Debian's python3-torch): {why.Trim()}");

        // 60 users × 40 items, 1,500 clicks; a few profiles missing on each side, as in a real catalogue.
        var random = new Random(5);
        var users = new ProfileTable(
            new FeatureSchema([new FeatureSpec("gender", FeatureKind.Categorical), new FeatureSpec("age", FeatureKind.Continuous), new FeatureSpec("interests", FeatureKind.MultiCategorical)]),
            Enumerable.Range(1, 55).Select(u => new Profile(u, [[u % 2 == 0 ? "f" : "m"], [(18 + (u % 40)).ToString(CultureInfo.InvariantCulture)], Enumerable.Range(0, u % 4).Select(k => "i" + ((u + k) % 7).ToString(CultureInfo.InvariantCulture)).ToArray()])));
        var items = new ProfileTable(
            new FeatureSchema([new FeatureSpec("category", FeatureKind.Categorical), new FeatureSpec("tags", FeatureKind.MultiCategorical), new FeatureSpec("price", FeatureKind.Continuous)]),
            Enumerable.Range(1, 36).Select(i => new Profile(i, [["c" + (i % 5).ToString(CultureInfo.InvariantCulture)], ["t" + (i % 9).ToString(CultureInfo.InvariantCulture)], [(i * 1.5).ToString(CultureInfo.InvariantCulture)]])));
        var events = Enumerable.Range(0, 1500).Select(t => new Interaction(1 + random.Next(60), 1 + random.Next(40), InteractionType.Click, t)).ToArray();
        NpyFolder.Write(_folder, new InteractionDataset("t", events, users, items));

        var script = Path.Combine(RepositoryRoot(), "bench", "python", "two_tower_scale_reference.py");
        var (code, output, errors) = Run([script, "--data", _folder, "--threads", "1", "--seed", "3"]);
        Assert.True(code == 0, output + errors);
        using var json = System.Text.Json.JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        var root = json.RootElement;
        Assert.Equal(1500, root.GetProperty("examples").GetInt32()); // 2 full batches of 512 and one of 476
        Assert.Equal(events.Select(e => e.UserId).Distinct().Count(), root.GetProperty("users").GetInt32());
        Assert.Equal(events.Select(e => e.ItemId).Distinct().Count(), root.GetProperty("items").GetInt32());
        var loss = root.GetProperty("epoch_loss")[0].GetDouble();
        Assert.InRange(loss, 0.1, Math.Log(512) + 5); // a finite in-batch softmax loss
        Assert.True(root.GetProperty("examples_per_s").GetDouble() > 0);
    }

    private static (int Code, string Output, string Errors) Run(string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = System.Diagnostics.Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout, stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, "", ex.Message);
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "RecFramework.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (RecFramework.sln) is not above the test binaries.");
    }

    private static void Expect<T>(T[] values, int[] shape, (T[] Values, int[] Shape) actual)
    {
        Assert.Equal(shape, actual.Shape);
        Assert.Equal(values, actual.Values);
    }

    private string File(string name) => Path.Combine(_folder, name);

    private static (T[] Values, int[] Shape) Read<T>(string path, string descr)
        where T : unmanaged
    {
        var bytes = System.IO.File.ReadAllBytes(path);
        var headerLength = bytes[8] | (bytes[9] << 8);
        var header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.Contains($"'descr': '{descr}'", header, StringComparison.Ordinal);
        var shape = ShapePattern().Match(header).Groups[1].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => int.Parse(d, CultureInfo.InvariantCulture)).ToArray();
        return (MemoryMarshal.Cast<byte, T>(bytes.AsSpan(10 + headerLength)).ToArray(), shape);
    }

    [GeneratedRegex(@"'shape': \(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
