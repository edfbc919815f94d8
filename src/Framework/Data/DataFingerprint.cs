using System.Globalization;
using System.IO.Hashing;
using System.Text;

namespace RecFramework.Data;

/// <summary>
/// What an artifact was built from: the dataset's name, time range, counts and profile schemas, and a short digest
/// of all of them. Recorded in every manifest; at start-up a published version whose fingerprint differs from the
/// configured data is reported (and, by option, rebuilt or refused).
/// </summary>
/// <param name="Source">The dataset's name (its folder or file).</param>
/// <param name="From">First event time, unix seconds.</param>
/// <param name="To">Last event time, unix seconds.</param>
/// <param name="Interactions">Events.</param>
/// <param name="Users">User profile rows.</param>
/// <param name="Items">Item profile rows.</param>
/// <param name="Schema">User and item profile fields with their kinds, e.g. <c>users[age:Continuous] items[genres:Multi]</c>.</param>
/// <param name="Digest">XxHash64 (hex) of the other fields and of the events' ids and times.</param>
public sealed record DataFingerprint(string Source, long From, long To, int Interactions, int Users, int Items, string Schema, string Digest)
{
    /// <summary>The fingerprint of <paramref name="data"/> (one pass over its events).</summary>
    public static DataFingerprint Of(InteractionDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var (from, to) = data.TimeRange;
        var schema = $"users[{Fields(data.Users.Schema)}] items[{Fields(data.Items.Schema)}]";
        var hash = new XxHash64();
        Span<byte> row = stackalloc byte[24];
        foreach (var e in data.Interactions)
        {
            BitConverter.TryWriteBytes(row, e.UserId);
            BitConverter.TryWriteBytes(row[8..], e.ItemId);
            BitConverter.TryWriteBytes(row[16..], e.Timestamp);
            hash.Append(row);
        }

        hash.Append(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{data.Name}|{from}|{to}|{data.Interactions.Length}|{data.Users.Count}|{data.Items.Count}|{schema}")));
        return new DataFingerprint(data.Name, from, to, data.Interactions.Length, data.Users.Count, data.Items.Count, schema,
            Convert.ToHexStringLower(hash.GetCurrentHash()));
    }

    /// <summary>A one-line description for logs: name, events, time range and digest.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Source} ({Interactions:N0} events, {Day(From)}..{Day(To)}, {Digest})");

    private static string Day(long seconds) =>
        seconds is >= -62_135_596_800 and <= 253_402_300_799 ? DateTimeOffset.FromUnixTimeSeconds(seconds).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : seconds.ToString(CultureInfo.InvariantCulture);

    private static string Fields(FeatureSchema schema) => string.Join(",", schema.Fields.Select(f => $"{f.Name}:{f.Kind}"));
}
