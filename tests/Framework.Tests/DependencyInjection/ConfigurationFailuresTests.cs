using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RecFramework.DependencyInjection;
using RecFramework.Pipeline;

namespace RecFramework.Tests.DependencyInjection;

/// <summary>The named failures of configuration errors, as a program reports them instead of a stack trace.</summary>
public sealed class ConfigurationFailuresTests
{
    private static OptionsValidationException ValidationError(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new KeyValuePair<string, string?>(key, value)]).Build();
        var services = new ServiceCollection();
        services.AddRecFramework(configuration);
        using var provider = services.BuildServiceProvider();
        return Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RecallPipelineOptions>>().Value);
    }

    [Fact]
    public void AnOptionsValidationErrorGivesItsFailures()
    {
        var error = ValidationError("RecFramework:Pipeline:DefaultK", "0");

        var failures = ConfigurationFailures.Of(error);

        Assert.NotNull(failures);
        Assert.Equal(error.Failures, failures);
        Assert.Contains(failures, f => f.Contains("DefaultK", StringComparison.Ordinal));
    }

    [Fact]
    public void AnAggregateOfConfigurationErrorsGivesEveryFailure()
    {
        var first = ValidationError("RecFramework:Pipeline:DefaultK", "0");
        var second = ValidationError("RecFramework:Pipeline:MaxK", "0");

        var failures = ConfigurationFailures.Of(new AggregateException(first, second));

        Assert.Equal(first.Failures.Concat(second.Failures), failures);
    }

    [Fact]
    public void AnAggregateWithAnyOtherErrorIsNotAConfigurationError()
    {
        var aggregate = new AggregateException(ValidationError("RecFramework:Pipeline:DefaultK", "0"), new InvalidOperationException("a bug"));

        Assert.Null(ConfigurationFailures.Of(aggregate));
        Assert.Null(ConfigurationFailures.Of(new AggregateException()));
        Assert.Null(ConfigurationFailures.Of(new InvalidOperationException("a bug")));
    }

    [Fact]
    public void AFileThatDoesNotParseGivesOneLineWithTheParsersPosition()
    {
        var parse = Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse("{ \"RecFramework\": { \"Pipeline\": ]"));
        var error = new InvalidDataException("Could not parse the JSON file.", parse);

        var failures = ConfigurationFailures.Of(error);

        Assert.NotNull(failures);
        var line = Assert.Single(failures);
        Assert.StartsWith("Could not parse the JSON file. ", line, StringComparison.Ordinal);
        Assert.Contains(parse.Message, line, StringComparison.Ordinal);
        Assert.Null(ConfigurationFailures.Of(new InvalidDataException("no inner exception")));
    }
}
