namespace RecFramework.Analysis.Comparison;

/// <summary>What <see cref="ComparisonRunner"/> runs.</summary>
public sealed record ComparisonSettings
{
    /// <summary>Dataset folder or file (replay, simulate) or logged-events JSONL file (logged).</summary>
    public required string DataPath { get; init; }

    /// <summary>JSON configuration (appsettings format, with a <c>RecFramework:Experiments</c> section); null for the embedded default.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>The caller's configuration (the service's appsettings and environment), read before <see cref="ConfigFile"/>; may be null.</summary>
    public Microsoft.Extensions.Configuration.IConfiguration? Configuration { get; init; }

    /// <summary>Traffic source.</summary>
    public ComparisonMode Mode { get; init; } = ComparisonMode.Replay;

    /// <summary>Report JSON path; null to skip.</summary>
    public string? JsonPath { get; init; }

    /// <summary>HTML report path; null to skip.</summary>
    public string? HtmlPath { get; init; }

    /// <summary>Writes the generated requests, exposures and clicks as JSONL here (replay, simulate); null to skip.</summary>
    public string? EventsPath { get; init; }

    /// <summary>Items per request (K of the @K metrics).</summary>
    public int K { get; init; } = 20;

    /// <summary>Share of each user's positives held out in replay.</summary>
    public double TestFraction { get; init; } = 0.2;

    /// <summary>Simulated days.</summary>
    public int Days { get; init; } = 5;

    /// <summary>Probability that a simulated user visits on a given day.</summary>
    public double VisitRate { get; init; } = 0.5;

    /// <summary>At most this many users take part (a seeded sample); null for all.</summary>
    public int? MaxUsers { get; init; }

    /// <summary>Seed of sampling and simulated clicks.</summary>
    public int Seed { get; init; } = 7;

    /// <summary>Apply CUPED with each user's pre-period activity (train positives).</summary>
    public bool Cuped { get; init; }

    /// <summary>The N of each day-N retention figure (each >= 1).</summary>
    public IReadOnlyList<int> RetentionDays { get; init; } = [1, 7];

    /// <summary>Folder for the channels' artifacts built for the run; null for a fresh temporary folder.</summary>
    public string? ArtifactsRoot { get; init; }

    /// <summary>Extra configuration entries laid over everything else (tests, the demo).</summary>
    public IReadOnlyDictionary<string, string?>? Overrides { get; init; }

    /// <summary>Extra registrations after the Host's composition (tests add channels here).</summary>
    public Action<RecFramework.DependencyInjection.IRecBuilder>? ConfigureServices { get; init; }

    /// <summary>Throws naming the first bad value.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(DataPath))
        {
            throw new ArgumentException("--data is required.", nameof(DataPath));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(K);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Days);
        if (!(TestFraction > 0 && TestFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(TestFraction), TestFraction, "TestFraction must be in (0, 1).");
        }

        if (!(VisitRate > 0 && VisitRate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(VisitRate), VisitRate, "VisitRate must be in (0, 1].");
        }

        foreach (var n in RetentionDays)
        {
            if (n < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(RetentionDays), n, $"--retention-days {n} must be >= 1.");
            }
        }

        if (MaxUsers is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxUsers), MaxUsers, "MaxUsers must be positive.");
        }
    }
}
