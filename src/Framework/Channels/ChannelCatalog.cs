namespace RecFramework.Channels;

/// <summary>The channels registered in the container, by name. Used by validation (experiments naming channels).</summary>
public sealed class ChannelCatalog
{
    /// <summary>Creates the catalog from registrations.</summary>
    public ChannelCatalog(IEnumerable<ChannelRegistration> registrations)
    {
        ArgumentNullException.ThrowIfNull(registrations);
        Registrations = registrations.GroupBy(r => r.Name, StringComparer.Ordinal).Select(g => g.First()).OrderBy(r => r.Name, StringComparer.Ordinal).ToArray();
        Names = Registrations.Select(r => r.Name).ToArray();
    }

    /// <summary>Registered channels, ordered by name.</summary>
    public IReadOnlyList<ChannelRegistration> Registrations { get; }

    /// <summary>Registered channel names, ordered.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Whether <paramref name="name"/> is registered.</summary>
    public bool Contains(string name) => Names.Contains(name, StringComparer.Ordinal);
}
