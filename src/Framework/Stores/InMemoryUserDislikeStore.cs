using Microsoft.Extensions.Options;

namespace RecFramework.Stores;

/// <summary>In-process dislike store: a bounded ring per user (<see cref="StoreOptions.DislikeCapacity"/>).</summary>
public sealed class InMemoryUserDislikeStore : IUserDislikeStore
{
    private readonly InMemoryUserHistoryStore _lists;

    /// <summary>Creates the store.</summary>
    public InMemoryUserDislikeStore(IOptions<StoreOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _lists = new InMemoryUserHistoryStore(Options.Create(new StoreOptions { HistoryCapacity = options.Value.DislikeCapacity }));
    }

    /// <inheritdoc />
    public ValueTask AppendAsync(Interaction dislike, CancellationToken cancellationToken = default) =>
        _lists.AppendAsync(dislike, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Interaction>> GetRecentAsync(long userId, int count, CancellationToken cancellationToken = default) =>
        _lists.GetRecentAsync(userId, count, cancellationToken);
}
