using System.ComponentModel.DataAnnotations;

namespace FollowedAuthors;

/// <summary>
/// The demo data this sample generates at start-up (section <c>SampleData</c>): a synthetic interaction log from
/// RecFramework's generator, and beside it the author tables the custom channel reads. A real service loads its own
/// log and tables instead.
/// </summary>
public sealed class SampleDataOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "SampleData";

    /// <summary>Users (ids 1..Users).</summary>
    [Range(10, 1_000_000)]
    public int Users { get; set; } = 2_000;

    /// <summary>Items (ids 1..Items).</summary>
    [Range(10, 1_000_000)]
    public int Items { get; set; } = 1_000;

    /// <summary>Interest clusters shared by users, items and authors.</summary>
    [Range(1, 1_000)]
    public int Clusters { get; set; } = 10;

    /// <summary>Events (impressions and positives) in the log.</summary>
    [Range(1_000, 100_000_000)]
    public long Interactions { get; set; } = 80_000;

    /// <summary>Days the log and the publication times span, ending today (UTC midnight).</summary>
    [Range(1, 3650)]
    public int Days { get; set; } = 30;

    /// <summary>Seed of the generator: the same seed gives the same data (relative to the day it ends).</summary>
    public int Seed { get; set; } = 7;

    /// <summary>Authors per cluster; an item's author writes in the item's cluster.</summary>
    [Range(1, 10_000)]
    public int AuthorsPerCluster { get; set; } = 5;

    /// <summary>Authors each user follows: two thirds in the user's primary cluster, the rest in the secondary one.</summary>
    [Range(1, 100)]
    public int FollowsPerUser { get; set; } = 3;
}
