namespace RecFramework.Experiments;

/// <summary>One layer of a <see cref="RouterState"/>: its hash prefix and per-bucket assignments.</summary>
internal sealed record CompiledLayer(string Name, byte[] Prefix, LayerAssignment[] ByBucket, LayerAssignment[] HoldoutByBucket, IReadOnlyDictionary<string, string>[] ParameterSets);
