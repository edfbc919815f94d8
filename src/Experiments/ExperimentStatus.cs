namespace RecFramework.Experiments;

/// <summary>Lifecycle of an experiment.</summary>
public enum ExperimentStatus
{
    /// <summary>Holds its bucket ranges; users there get one of its variants.</summary>
    Running,
    /// <summary>Its launched variant is part of the layer default; only its reverse buckets stay on the old default.</summary>
    Launched,
    /// <summary>Holds no buckets and changes nothing; kept for the record.</summary>
    Stopped,
}
