using System.Globalization;
using Microsoft.Extensions.Options;
using RecFramework;
using RecFramework.Channels;

namespace FollowedAuthors;

/// <summary>
/// Recall channel "followed-authors" (from the course's list of recall channels): items recently published by the
/// authors the user follows, newest first. Written only against RecFramework's public API: one
/// <see cref="IRecallChannel"/>, registered by name, with its own options and per-variant parameters.
/// </summary>
[RecallChannel(ChannelName)]
public sealed class FollowedAuthorsChannel(AuthorCatalog catalog, IOptions<FollowedAuthorsOptions> options) : IRecallChannel
{
    /// <summary>The channel's registered name.</summary>
    public const string ChannelName = "followed-authors";

    private readonly FollowedAuthorsOptions _options = options.Value;

    /// <inheritdoc />
    public string Name => ChannelName;

    /// <inheritdoc />
    public ValueTask<RecallResult> RecallAsync(RecallRequest request, CancellationToken cancellationToken)
    {
        var authors = catalog.FollowedBy(request.UserId);
        if (authors.Count == 0 || request.K <= 0)
        {
            return ValueTask.FromResult(RecallResult.Empty);
        }

        // Variant parameters ("followed-authors.max_age_days" in an experiment) override the configured options.
        var maxAgeDays = Parameter(request, "max_age_days", _options.MaxAgeDays);
        var perAuthor = (int)Parameter(request, "per_author", _options.PerAuthor);
        var now = request.Time.ToUnixTimeSeconds();
        var oldest = now - (long)(maxAgeDays * 86_400);
        var candidates = new List<Publication>();
        foreach (var author in authors)
        {
            var taken = 0;
            foreach (var item in catalog.PublishedBy(author))
            {
                if (item.Published > now)
                {
                    continue; // scheduled, not yet published
                }

                if (taken >= perAuthor || item.Published < oldest)
                {
                    break; // newest first: everything after is older
                }

                if (!request.Exclude.Contains(item.ItemId))
                {
                    candidates.Add(item);
                    taken++;
                }
            }
        }

        var items = candidates
            .OrderByDescending(c => c.Published).ThenBy(c => c.ItemId)
            .DistinctBy(c => c.ItemId)
            .Take(request.K)
            .Select(c => new ScoredItem(c.ItemId, (float)(1.0 / (1.0 + ((now - c.Published) / 86_400.0)))))
            .ToArray();
        return ValueTask.FromResult(new RecallResult(items));
    }

    private static double Parameter(RecallRequest request, string key, double fallback)
    {
        if (!request.Parameters.TryGetValue(key, out var text))
        {
            return fallback;
        }

        // A bad value is a configuration error: the pipeline logs it and counts the channel as failed for the request.
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new RecFrameworkException(RecError.InvalidArgument, $"Channel {ChannelName}: parameter {key} = '{text}' is not a positive number.");
    }
}
