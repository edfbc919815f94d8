using System.ComponentModel.DataAnnotations;

namespace FollowedAuthors;

/// <summary>Options of the <c>followed-authors</c> channel (section <c>RecFramework:Channels:followed-authors:Options</c>).</summary>
public sealed class FollowedAuthorsOptions
{
    /// <summary>Configuration section, beside the channel's pipeline options (quota, weight, timeout).</summary>
    public const string Section = "RecFramework:Channels:" + FollowedAuthorsChannel.ChannelName + ":Options";

    /// <summary>CSV <c>item_id,author_id,published</c> (Unix seconds): who published each item and when.</summary>
    [Required]
    public string AuthorsPath { get; set; } = "data/authors.csv";

    /// <summary>CSV <c>user_id,author_id</c>: which authors each user follows.</summary>
    [Required]
    public string FollowsPath { get; set; } = "data/follows.csv";

    /// <summary>Only items published at most this many days before the request count as recent (variant parameter <c>max_age_days</c>).</summary>
    [Range(0.01, 3650.0)]
    public double MaxAgeDays { get; set; } = 14;

    /// <summary>Newest items taken from each followed author (variant parameter <c>per_author</c>).</summary>
    [Range(1, 1000)]
    public int PerAuthor { get; set; } = 5;
}
