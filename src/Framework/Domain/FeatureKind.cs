namespace RecFramework;

/// <summary>How a profile feature is encoded by models.</summary>
public enum FeatureKind
{
    /// <summary>The entity id itself (embedding per id, hashed when the vocabulary is large).</summary>
    Id,
    /// <summary>One value from a vocabulary (gender, occupation).</summary>
    Categorical,
    /// <summary>Several values from a vocabulary, '|'-separated in files (genres, tags).</summary>
    MultiCategorical,
    /// <summary>A real number (age, price); normalised or bucketised by encoders.</summary>
    Continuous,
}
