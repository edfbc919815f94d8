using System.Globalization;

namespace FollowedAuthors;

/// <summary>
/// The two tables the channel reads, loaded once: author → items newest first, user → followed authors. Immutable
/// after loading, so the channel reads it from many threads without locks.
/// </summary>
public sealed class AuthorCatalog
{
    private readonly Dictionary<long, Publication[]> _byAuthor;
    private readonly Dictionary<long, long[]> _follows;

    private AuthorCatalog(Dictionary<long, Publication[]> byAuthor, Dictionary<long, long[]> follows)
    {
        _byAuthor = byAuthor;
        _follows = follows;
    }

    /// <summary>Number of authors that published at least one item.</summary>
    public int Authors => _byAuthor.Count;

    /// <summary>Number of users that follow at least one author.</summary>
    public int Followers => _follows.Count;

    /// <summary>Authors <paramref name="userId"/> follows (empty when none).</summary>
    public IReadOnlyList<long> FollowedBy(long userId) => _follows.TryGetValue(userId, out var authors) ? authors : [];

    /// <summary>Items of <paramref name="authorId"/>, newest first (empty when none).</summary>
    public IReadOnlyList<Publication> PublishedBy(long authorId) => _byAuthor.TryGetValue(authorId, out var items) ? items : [];

    /// <summary>Reads both CSV files (with header lines).</summary>
    /// <exception cref="InvalidDataException">A line is malformed; the message names the file and line.</exception>
    public static AuthorCatalog Load(string authorsPath, string followsPath)
    {
        var byAuthor = new Dictionary<long, List<Publication>>();
        foreach (var (fields, _) in ReadRows(authorsPath, 3))
        {
            var author = fields[1];
            if (!byAuthor.TryGetValue(author, out var list))
            {
                byAuthor[author] = list = [];
            }

            list.Add(new Publication(fields[0], fields[2]));
        }

        var follows = new Dictionary<long, List<long>>();
        foreach (var (fields, _) in ReadRows(followsPath, 2))
        {
            if (!follows.TryGetValue(fields[0], out var list))
            {
                follows[fields[0]] = list = [];
            }

            if (!list.Contains(fields[1]))
            {
                list.Add(fields[1]);
            }
        }

        return new AuthorCatalog(
            byAuthor.ToDictionary(p => p.Key, p => p.Value.OrderByDescending(x => x.Published).ThenBy(x => x.ItemId).ToArray()),
            follows.ToDictionary(p => p.Key, p => p.Value.ToArray()));
    }

    private static IEnumerable<(long[] Fields, int Line)> ReadRows(string path, int columns)
    {
        var line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (line == 1 || text.Length == 0)
            {
                continue; // header, trailing newline
            }

            var parts = text.Split(',');
            var fields = new long[columns];
            if (parts.Length != columns || !parts.Select((p, i) => long.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out fields[i])).All(ok => ok))
            {
                throw new InvalidDataException($"{path}:{line}: expected {columns} integer columns, got '{text}'.");
            }

            yield return (fields, line);
        }
    }
}

/// <summary>One published item.</summary>
/// <param name="ItemId">Item id.</param>
/// <param name="Published">Publication time, Unix seconds.</param>
public readonly record struct Publication(long ItemId, long Published);
