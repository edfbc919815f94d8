using System.Collections.Concurrent;

namespace RecFramework.Stores;

/// <summary>In-process profile store.</summary>
public sealed class InMemoryUserProfileStore : IUserProfileStore
{
    private readonly ConcurrentDictionary<long, Profile> _profiles = new();

    /// <inheritdoc />
    public ValueTask<Profile?> GetAsync(long userId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_profiles.TryGetValue(userId, out var p) ? p : null);

    /// <inheritdoc />
    public ValueTask UpsertAsync(Profile profile, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        _profiles[profile.Id] = profile;
        return ValueTask.CompletedTask;
    }
}
