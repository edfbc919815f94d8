using RecFramework.Channels;

namespace RecFramework.Data.Synthetic;

/// <summary>
/// Deterministic synthetic interaction data. A simulated feed shows items to users (active users more often): half the
/// exposures come from the user's primary interest cluster, a fifth from the secondary one, the rest from global
/// popularity, each Zipf-distributed over the items' popularity ranks. Every exposure is an impression; the user
/// clicks with the <see cref="GroundTruthModel"/> probability, and a click is sometimes followed by a deeper
/// engagement (like, collect, share, comment). Timestamps advance evenly over the days. The same options and seed give
/// byte-identical output on every run and machine.
/// </summary>
public static class SyntheticGenerator
{
    /// <summary>
    /// The name of the file <see cref="Write"/> saves the options in (<c>synthetic.json</c>); its presence marks a data
    /// folder as generated.
    /// </summary>
    public const string OptionsFileName = SyntheticFiles.OptionsFile;

    private const long EventStream = 10, ActivityStream = 4;

    /// <summary>Generates the data described by <paramref name="options"/>.</summary>
    /// <exception cref="RecFrameworkException">An option is out of range.</exception>
    public static SyntheticData Generate(SyntheticOptions options, IProgress<BuildProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var truth = GroundTruthModel.Create(options);
        var events = GenerateEvents(truth, progress, cancellationToken);
        ProfileTable users = ProfileTable.Empty, items = ProfileTable.Empty;
        if (options.Features)
        {
            progress?.Report(new BuildProgress(0.95, "profiles"));
            users = SyntheticProfiles.Users(truth);
            items = SyntheticProfiles.Items(truth);
        }

        progress?.Report(new BuildProgress(1, $"{events.Length:N0} events"));
        return new SyntheticData { Dataset = new InteractionDataset(DatasetName(options), events, users, items), Truth = truth };
    }

    /// <summary>The dataset name: <c>synthetic-{users}u-{items}i-{clusters}c-s{seed}</c>.</summary>
    public static string DatasetName(SyntheticOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return FormattableString.Invariant($"synthetic-{options.Users}u-{options.Items}i-{options.Clusters}c-s{options.Seed}");
    }

    /// <summary>
    /// Writes <c>interactions.csv</c> (user_id,item_id,timestamp,event,weight), <c>users.csv</c> and <c>items.csv</c>
    /// (when there are profiles; feature kinds given in the header) and <c>synthetic.json</c> (the options) into
    /// <paramref name="directory"/>, readable back with <see cref="DatasetLoader"/>.
    /// </summary>
    public static void Write(SyntheticData data, string directory, IProgress<BuildProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        SyntheticFiles.Write(data, directory, progress, cancellationToken);
    }

    /// <summary>Reads the options saved in <c>synthetic.json</c> of <paramref name="directory"/>.</summary>
    /// <exception cref="RecFrameworkException">The file is missing or malformed.</exception>
    public static SyntheticOptions ReadOptions(string directory) => SyntheticFiles.ReadOptions(directory);

    /// <summary>Rebuilds the ground-truth model of the data generated into <paramref name="directory"/>.</summary>
    public static GroundTruthModel LoadTruth(string directory) => GroundTruthModel.Create(ReadOptions(directory));

    private static Interaction[] GenerateEvents(GroundTruthModel truth, IProgress<BuildProgress>? progress, CancellationToken cancellationToken)
    {
        var o = truth.Options;
        var total = o.Interactions;
        if (total > Array.MaxLength)
        {
            throw new RecFrameworkException(RecError.InvalidArgument, $"Synthetic option Interactions = {total}: more than one array holds ({Array.MaxLength}).");
        }

        // Users in a seeded random activity order; items grouped by cluster, most popular first inside each group.
        var usersByActivity = RandomPermutation(o.Users, o.Seed, ActivityStream);
        var activity = new ZipfSampler([o.Users], o.UserActivityExponent);
        var global = new ZipfSampler([o.Items], o.ZipfExponent);
        var byCluster = new int[o.Items];
        var clusterSizes = new int[o.Clusters];
        foreach (var item in truth.ItemsByRank)
        {
            clusterSizes[truth.ClusterOf(item)]++;
        }

        var starts = new int[o.Clusters];
        for (var c = 1; c < o.Clusters; c++)
        {
            starts[c] = starts[c - 1] + clusterSizes[c - 1];
        }

        foreach (var item in truth.ItemsByRank)
        {
            byCluster[starts[truth.ClusterOf(item)]++] = item;
        }

        var inCluster = new ZipfSampler(clusterSizes, o.ZipfExponent);
        var events = new Interaction[total];
        var rng = SyntheticRandom.For(o.Seed, EventStream, 0);
        var span = (double)o.Days * 86_400;
        var step = Math.Max(1, (long)(span / Math.Max(1, total)));
        long produced = 0;
        var nextReport = 1L << 20;
        while (produced < total)
        {
            var time = o.StartTime + (long)(produced * span / total) + (long)(rng.NextDouble() * step);
            var user = usersByActivity[activity.Sample(0, ref rng)];
            var pick = rng.NextDouble();
            int item;
            if (pick < o.PrimaryExposureShare)
            {
                item = byCluster[inCluster.Sample(truth.PrimaryOf(user), ref rng)];
            }
            else if (pick < o.PrimaryExposureShare + o.SecondaryExposureShare)
            {
                item = byCluster[inCluster.Sample(truth.SecondaryOf(user), ref rng)];
            }
            else
            {
                item = truth.ItemsByRank[global.Sample(0, ref rng)];
            }

            var clicked = rng.NextDouble() < truth.ClickProbabilityAt(user, item);
            if (o.IncludeImpressions)
            {
                events[produced++] = new Interaction(user + 1, item + 1, InteractionType.Impression, time);
            }

            if (clicked && produced < total)
            {
                events[produced++] = new Interaction(user + 1, item + 1, InteractionType.Click, time + 1 + rng.NextInt(30));
                if (rng.NextDouble() < o.EngagementRate && produced < total)
                {
                    var type = (InteractionType)((int)InteractionType.Like + rng.NextInt(4));
                    events[produced++] = new Interaction(user + 1, item + 1, type, time + 31 + rng.NextInt(600));
                }
            }

            if (produced >= nextReport)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report(new BuildProgress(0.9 * produced / total, $"{produced:N0} / {total:N0} events"));
                nextReport += 1L << 20;
            }
        }

        return events;
    }

    private static int[] RandomPermutation(int n, int seed, long stream)
    {
        var keys = new ulong[n];
        for (var i = 0; i < n; i++)
        {
            keys[i] = SyntheticRandom.For(seed, stream, i).NextUInt64();
        }

        var order = Enumerable.Range(0, n).ToArray();
        Array.Sort(keys, order);
        return order;
    }
}
