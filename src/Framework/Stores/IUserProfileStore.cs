namespace RecFramework.Stores;

/// <summary>User profiles for online feature lookup (two-tower user tower, cold start).</summary>
public interface IUserProfileStore
{
    /// <summary>The user's profile, or null when unknown.</summary>
    ValueTask<Profile?> GetAsync(long userId, CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces a profile.</summary>
    ValueTask UpsertAsync(Profile profile, CancellationToken cancellationToken = default);
}
