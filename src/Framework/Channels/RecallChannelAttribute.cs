namespace RecFramework.Channels;

/// <summary>Names a <see cref="IRecallChannel"/> implementation so scanning can register it by name.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class RecallChannelAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="name">Unique lower-kebab channel name.</param>
    public RecallChannelAttribute(string name) => Name = name;

    /// <summary>The channel name.</summary>
    public string Name { get; }
}
