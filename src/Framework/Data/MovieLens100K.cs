using System.Globalization;
using System.Text;

namespace RecFramework.Data;

/// <summary>
/// Loader of the MovieLens-100K folder format (<c>u.data</c>, <c>u.user</c>, <c>u.item</c>, <c>u.genre</c>).
/// Every rating becomes a <see cref="InteractionType.Click"/> with the rating (1..5) as weight.
/// </summary>
public static class MovieLens100K
{
    /// <summary>The dataset name given to the snapshot.</summary>
    public const string DatasetName = "ml-100k";

    /// <summary>User schema: gender, age, age_bucket, occupation, zip_prefix (first two characters).</summary>
    public static FeatureSchema UserSchema { get; } = new(
    [
        new FeatureSpec("gender", FeatureKind.Categorical),
        new FeatureSpec("age", FeatureKind.Continuous),
        new FeatureSpec("age_bucket", FeatureKind.Categorical),
        new FeatureSpec("occupation", FeatureKind.Categorical),
        new FeatureSpec("zip_prefix", FeatureKind.Categorical),
    ]);

    /// <summary>Item schema: genres (multi-valued), release_year (missing when unknown), year_bucket ("1990s" or "unknown").</summary>
    public static FeatureSchema ItemSchema { get; } = new(
    [
        new FeatureSpec("genres", FeatureKind.MultiCategorical),
        new FeatureSpec("release_year", FeatureKind.Continuous),
        new FeatureSpec("year_bucket", FeatureKind.Categorical),
    ]);

    private static readonly Encoding Latin1 = Encoding.Latin1;
    private static readonly string[] DateFormats = ["dd-MMM-yyyy", "d-MMM-yyyy"];

    /// <summary>Loads the folder <paramref name="directory"/>; the first malformed row throws.</summary>
    /// <exception cref="RecFrameworkException">A file is missing or a row is malformed (message names file and line).</exception>
    public static InteractionDataset Load(string directory) => Load(directory, LoadOptions.Strict, out _);

    /// <summary>Loads the folder <paramref name="directory"/> with <paramref name="options"/>, reporting skipped rows.</summary>
    /// <exception cref="RecFrameworkException">A file is missing or (when not skipping) a row is malformed.</exception>
    public static InteractionDataset Load(string directory, LoadOptions options, out LoadReport report)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(options);
        var sink = new RowErrorSink(options);
        var interactions = LoadRatings(Required(directory, "u.data"), sink);
        var users = LoadUsers(Required(directory, "u.user"), sink);
        var genrePath = Path.Combine(directory, "u.genre");
        var genres = File.Exists(genrePath) ? LoadGenres(genrePath, sink) : DefaultGenres;
        var items = LoadItems(Required(directory, "u.item"), genres, sink);
        report = sink.ToReport();
        return new InteractionDataset(DatasetName, interactions, users, items);
    }

    /// <summary>The age bucket of an age in years, as in the MovieLens-1M convention.</summary>
    public static string AgeBucket(int age) => age switch
    {
        < 18 => "<18",
        <= 24 => "18-24",
        <= 34 => "25-34",
        <= 44 => "35-44",
        <= 49 => "45-49",
        <= 55 => "50-55",
        _ => "56+",
    };

    private static readonly string[] DefaultGenres =
    [
        "unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary", "Drama", "Fantasy",
        "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western",
    ];

    private static string Required(string directory, string file)
    {
        var path = Path.Combine(directory, file);
        if (!File.Exists(path))
        {
            throw new RecFrameworkException(RecError.MalformedInput, $"MovieLens-100K file '{path}' is missing.");
        }

        return path;
    }

    private static Interaction[] LoadRatings(string path, RowErrorSink sink)
    {
        var list = new List<Interaction>(100_000);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path, Latin1))
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var parts = line.Split('\t');
            if (parts.Length != 4)
            {
                sink.Fail(path, lineNumber, $"expected 4 tab-separated fields, got {parts.Length}", line);
                continue;
            }

            if (!long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var user))
            {
                sink.Fail(path, lineNumber, "user id is not an integer", parts[0]);
                continue;
            }

            if (!long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var item))
            {
                sink.Fail(path, lineNumber, "item id is not an integer", parts[1]);
                continue;
            }

            if (!int.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var rating) || rating is < 1 or > 5)
            {
                sink.Fail(path, lineNumber, "rating is not an integer in 1..5", parts[2]);
                continue;
            }

            if (!long.TryParse(parts[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var timestamp))
            {
                sink.Fail(path, lineNumber, "timestamp is not an integer", parts[3]);
                continue;
            }

            list.Add(new Interaction(user, item, InteractionType.Click, timestamp, rating));
            sink.Rows++;
        }

        return list.ToArray();
    }

    private static ProfileTable LoadUsers(string path, RowErrorSink sink)
    {
        var profiles = new List<Profile>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path, Latin1))
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var parts = line.Split('|');
            if (parts.Length != 5)
            {
                sink.Fail(path, lineNumber, $"expected 5 '|'-separated fields, got {parts.Length}", line);
                continue;
            }

            if (!long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var id))
            {
                sink.Fail(path, lineNumber, "user id is not an integer", parts[0]);
                continue;
            }

            if (!int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var age) || age < 0)
            {
                sink.Fail(path, lineNumber, "age is not a non-negative integer", parts[1]);
                continue;
            }

            var zip = parts[4].Trim();
            profiles.Add(new Profile(id,
            [
                [parts[2].Trim()],
                [age.ToString(CultureInfo.InvariantCulture)],
                [AgeBucket(age)],
                [parts[3].Trim()],
                zip.Length == 0 ? [] : [zip.Length <= 2 ? zip : zip[..2]],
            ]));
            sink.Rows++;
        }

        return new ProfileTable(UserSchema, profiles);
    }

    private static string[] LoadGenres(string path, RowErrorSink sink)
    {
        var byIndex = new SortedDictionary<int, string>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path, Latin1))
        {
            lineNumber++;
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var parts = line.Split('|');
            if (parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var index) || index < 0)
            {
                sink.Fail(path, lineNumber, "expected 'name|index'", line);
                continue;
            }

            byIndex[index] = parts[0];
        }

        var names = new string[byIndex.Count == 0 ? 0 : byIndex.Keys.Max() + 1];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = byIndex.TryGetValue(i, out var name) ? name : $"genre{i}";
        }

        return names;
    }

    private static ProfileTable LoadItems(string path, string[] genres, RowErrorSink sink)
    {
        var profiles = new List<Profile>();
        var lineNumber = 0;
        var expected = 5 + genres.Length;
        foreach (var line in File.ReadLines(path, Latin1))
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var parts = line.Split('|');
            if (parts.Length != expected)
            {
                sink.Fail(path, lineNumber, $"expected {expected} '|'-separated fields, got {parts.Length}", line);
                continue;
            }

            if (!long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var id))
            {
                sink.Fail(path, lineNumber, "item id is not an integer", parts[0]);
                continue;
            }

            int? year = null;
            var date = parts[2].Trim();
            if (date.Length > 0)
            {
                if (!DateTime.TryParseExact(date, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var released))
                {
                    sink.Fail(path, lineNumber, "release date is not dd-MMM-yyyy", date);
                    continue;
                }

                year = released.Year;
            }

            var itemGenres = new List<string>();
            var bad = false;
            for (var g = 0; g < genres.Length; g++)
            {
                var flag = parts[5 + g].Trim();
                if (flag == "1")
                {
                    itemGenres.Add(genres[g]);
                }
                else if (flag != "0")
                {
                    sink.Fail(path, lineNumber, $"genre flag {g} is not 0 or 1", flag);
                    bad = true;
                    break;
                }
            }

            if (bad)
            {
                continue;
            }

            profiles.Add(new Profile(id,
            [
                itemGenres.ToArray(),
                year is null ? [] : [year.Value.ToString(CultureInfo.InvariantCulture)],
                [year is null ? "unknown" : $"{year.Value / 10 * 10}s"],
            ]));
            sink.Rows++;
        }

        return new ProfileTable(ItemSchema, profiles);
    }
}
