namespace RecFramework.AspNetCore.Hosting;

/// <summary>
/// Where a RecFramework deployment reads its configuration: <c>appsettings.json</c> beside the executable, an extra
/// JSON file, then environment variables with the <see cref="EnvironmentPrefix"/> prefix
/// (<c>RECFW_RecFramework__Pipeline__DefaultK=20</c>). The service (<see cref="AddRecFrameworkSources"/> on its
/// builder) and offline runs of the same deployment (<see cref="Load"/>: builds, workers, experiment operations) read
/// the same keys this way.
/// </summary>
public static class ServiceConfiguration
{
    /// <summary>The prefix of the environment variables read (removed from the keys).</summary>
    public const string EnvironmentPrefix = "RECFW_";

    /// <summary>Adds <paramref name="configFile"/> (when given; it must exist) and then the <see cref="EnvironmentPrefix"/> environment variables.</summary>
    /// <param name="builder">The configuration builder, e.g. a <c>WebApplicationBuilder</c>'s <c>Configuration</c>.</param>
    /// <param name="configFile">A JSON file in the appsettings format (relative to the working directory), or null.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IConfigurationBuilder AddRecFrameworkSources(this IConfigurationBuilder builder, string? configFile = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (configFile is not null)
        {
            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false);
        }

        return builder.AddEnvironmentVariables(EnvironmentPrefix);
    }

    /// <summary>
    /// The configuration of an offline run: <c>appsettings.json</c> beside the executable (optional), then
    /// <see cref="AddRecFrameworkSources"/>, then <paramref name="overrides"/> (command-line values win).
    /// </summary>
    /// <param name="configFile">A JSON file in the appsettings format, or null.</param>
    /// <param name="overrides">Keys set last, or null.</param>
    /// <returns>The built configuration.</returns>
    public static IConfigurationRoot Load(string? configFile = null, IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        var builder = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddRecFrameworkSources(configFile);
        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides);
        }

        return builder.Build();
    }
}
