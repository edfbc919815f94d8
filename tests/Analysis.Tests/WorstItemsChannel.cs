using RecFramework.Channels;
using RecFramework.Data.Synthetic;

namespace RecFramework.Analysis.Tests;

/// <summary>A deliberately bad recall channel: the items the ground truth gives the user the lowest click probability.</summary>
[RecallChannel("worst")]
public sealed class WorstItemsChannel(GroundTruthModel truth) : IRecallChannel
{
    public string Name => "worst";

    public ValueTask<RecallResult> RecallAsync(RecallRequest request, CancellationToken cancellationToken)
    {
        var items = Enumerable.Range(1, truth.Options.Items).Select(i => (long)i)
            .Where(i => !request.Exclude.Contains(i))
            .OrderBy(i => truth.ClickProbability(request.UserId, i)).ThenBy(i => i)
            .Take(request.K)
            .Select((item, rank) => new ScoredItem(item, -rank))
            .ToList();
        return ValueTask.FromResult(new RecallResult(items));
    }
}
