using RecFramework.Pipeline;

namespace RecFramework.Evaluation;

/// <summary>One user's fusion input with the items the user went on to interact with (the labels).</summary>
/// <param name="Input">What the pipeline's fusion saw for the user.</param>
/// <param name="Relevant">The user's held-out items.</param>
public sealed record FusionExample(FusionInput Input, IReadOnlySet<long> Relevant);

/// <summary>Training data for a fusion model (<see cref="PipelineEvaluator.CollectFusionExamplesAsync"/>).</summary>
/// <param name="Examples">One example per user.</param>
/// <param name="Popularity">Positive-event counts per item of the train part the channels were built on.</param>
public sealed record FusionTrainingSet(IReadOnlyList<FusionExample> Examples, IReadOnlyDictionary<long, double> Popularity);
