using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RecFramework.Experiments.Tests;

public sealed class ExperimentRecommenderTests
{
    [Fact]
    public async Task RunsEachUsersVariantAndHandsTheAnswerWithItsAssignmentToEverySink()
    {
        var sink = new RecordingSink();
        await using var provider = TestConfigurations.Services(TestConfigurations.Json(TestConfigurations.TwoLayers),
            configure: s => s.TryAddEnumerable(ServiceDescriptor.Singleton<IExposureSink>(sink)));
        var recommender = provider.GetRequiredService<ExperimentRecommender>();
        var router = provider.GetRequiredService<IExperimentRouter>();
        long UserIn(string variant) => Enumerable.Range(1, 50_000).First(u => router.Assign(u).Layer("recall") is { Experiment: "exp-a" } l && l.Variant == variant);
        var (control, treatment) = (UserIn("control"), UserIn("treatment"));

        var a = await recommender.RecommendAsync(control, k: 5, requestId: "r-1");
        var b = await recommender.RecommendAsync(treatment, k: 5, at: DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));

        Assert.Equal(router.Assign(control).Tag, a.Assignment.Tag);
        Assert.Equal("r-1", a.RequestId);
        Assert.Equal(5, a.K);
        Assert.DoesNotContain(a.Response.Channels, c => c.Channel == "two-tower");
        Assert.Contains(b.Response.Channels, c => c.Channel == "two-tower");
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000), b.Time);
        Assert.False(string.IsNullOrEmpty(b.RequestId));
        Assert.Equal([a, b], sink.Answers);
    }

    [Fact]
    public async Task AnInvalidKIsTheCallersErrorAndNothingIsLogged()
    {
        var sink = new RecordingSink();
        await using var provider = TestConfigurations.Services(TestConfigurations.Json(TestConfigurations.TwoLayers),
            configure: s => s.TryAddEnumerable(ServiceDescriptor.Singleton<IExposureSink>(sink)));

        var error = await Assert.ThrowsAsync<RecFrameworkException>(() => provider.GetRequiredService<ExperimentRecommender>().RecommendAsync(1, k: 0).AsTask());

        Assert.Equal(RecError.InvalidArgument, error.Error);
        Assert.Empty(sink.Answers);
    }

    private sealed class RecordingSink : IExposureSink
    {
        public List<ExperimentRecommendation> Answers { get; } = [];

        public void Served(ExperimentRecommendation served)
        {
            lock (Answers)
            {
                Answers.Add(served);
            }
        }
    }
}
