using RecFramework.Channels;

namespace RecFramework.Pipeline;

/// <summary>
/// A trained fusion (<see cref="FusionMode.Learned"/>): ranks the union of the channels' filtered candidate lists of one
/// request. Registered as a singleton; called synchronously on the request's thread, concurrently for different requests.
/// </summary>
public interface IFusionModel
{
    /// <summary>
    /// The <paramref name="k"/> best candidates of <paramref name="input"/>, best first, each with its score and the
    /// channels that proposed it; null when no model is loaded (the pipeline then falls back to its configured fusion).
    /// The lists of <paramref name="input"/> are only valid during the call.
    /// </summary>
    List<RecommendedItem>? Fuse(FusionInput input, int k);
}

/// <summary>One channel's candidates as the fusion sees them: filtered (excluded and repeated items removed) and cut to the quota, best first.</summary>
/// <param name="Channel">Channel name.</param>
/// <param name="Weight">The channel's fusion weight in this request.</param>
/// <param name="Items">Candidates with the channel's scores, best first.</param>
public sealed record FusionList(string Channel, double Weight, IReadOnlyList<ScoredItem> Items);

/// <summary>What a fusion ranks for one request.</summary>
/// <param name="UserId">The user.</param>
/// <param name="HistoryLength">Events of the user's recent history the pipeline read.</param>
/// <param name="Lists">Each planned channel's candidates (the separately run fallback channel is not among them).</param>
public sealed record FusionInput(long UserId, int HistoryLength, IReadOnlyList<FusionList> Lists);
