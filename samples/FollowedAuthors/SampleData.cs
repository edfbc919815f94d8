using System.Globalization;
using System.Text;
using RecFramework.Data;
using RecFramework.Data.Synthetic;

namespace FollowedAuthors;

/// <summary>
/// Generates the sample's data deterministically: the interaction log (RecFramework's synthetic generator, ending at
/// UTC midnight of <c>today</c>) and the two CSV tables of the followed-authors channel, written to the paths its
/// options name. Authors write in one interest cluster; users follow authors of their own clusters, so what the
/// channel recalls is relevant to them.
/// </summary>
public static class SampleData
{
    /// <summary>Generates the log and writes <c>authors.csv</c> and <c>follows.csv</c>; returns the log.</summary>
    public static InteractionDataset Prepare(SampleDataOptions options, FollowedAuthorsOptions channel, DateTimeOffset today)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(channel);
        var end = today.ToUnixTimeSeconds() / 86_400 * 86_400;
        var span = options.Days * 86_400L;
        var generated = SyntheticGenerator.Generate(new SyntheticOptions
        {
            Users = options.Users,
            Items = options.Items,
            Clusters = options.Clusters,
            Interactions = options.Interactions,
            Days = options.Days,
            StartTime = end - span,
            Seed = options.Seed,
        });
        var truth = generated.Truth;

        var authors = new StringBuilder("item_id,author_id,published\n");
        for (long item = 1; item <= options.Items; item++)
        {
            var author = (long)truth.ItemCluster(item) * options.AuthorsPerCluster + (long)(Mix(options.Seed, 1, item) % (ulong)options.AuthorsPerCluster) + 1;
            var published = end - (long)(Mix(options.Seed, 2, item) % (ulong)span);
            authors.Append(CultureInfo.InvariantCulture, $"{item},{author},{published}\n");
        }

        var follows = new StringBuilder("user_id,author_id\n");
        for (long user = 1; user <= options.Users; user++)
        {
            var (primary, secondary) = truth.UserClusters(user);
            for (var j = 0; j < options.FollowsPerUser; j++)
            {
                var cluster = j % 3 == 2 ? secondary : primary;
                var author = (long)cluster * options.AuthorsPerCluster + (long)(Mix(options.Seed, 3 + j, user) % (ulong)options.AuthorsPerCluster) + 1;
                follows.Append(CultureInfo.InvariantCulture, $"{user},{author}\n");
            }
        }

        Write(channel.AuthorsPath, authors.ToString());
        Write(channel.FollowsPath, follows.ToString());
        return generated.Dataset;
    }

    private static void Write(string path, string text)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, text);
    }

    /// <summary>SplitMix64 of (seed, stream, key): a stable pseudo-random number per key.</summary>
    private static ulong Mix(int seed, long stream, long key)
    {
        var z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)stream * 0xBF58476D1CE4E5B9UL + (ulong)key * 0x94D049BB133111EBUL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
