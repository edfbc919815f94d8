using System.Text.Json;
using Microsoft.Extensions.Configuration.Json;

namespace RecFramework.AspNetCore;

/// <summary>Checks the JSON files behind a configuration before it is reloaded.</summary>
internal static class ConfigurationFiles
{
    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>
    /// "file: parser message" for the first JSON configuration file of <paramref name="root"/> that exists and does
    /// not parse (the file's name only, never its directory); null when every file parses.
    /// </summary>
    public static string? FirstParseError(IConfigurationRoot root)
    {
        foreach (var provider in root.Providers.OfType<JsonConfigurationProvider>())
        {
            var file = provider.Source.FileProvider?.GetFileInfo(provider.Source.Path ?? "");
            if (file is not { Exists: true, IsDirectory: false } || file.Length == 0)
            {
                continue;
            }

            try
            {
                using var stream = file.CreateReadStream();
                using var document = JsonDocument.Parse(stream, Options);
            }
            catch (JsonException ex)
            {
                return $"{file.Name}: {ex.Message}";
            }
        }

        return null;
    }
}
