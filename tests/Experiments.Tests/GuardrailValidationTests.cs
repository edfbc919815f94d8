namespace RecFramework.Experiments.Tests;

/// <summary>Primary metric, target effect and guardrails are checked by the experiments validator, each failure naming its entry.</summary>
public sealed class GuardrailValidationTests
{
    private const string Broken = """
    {
      "RecFramework": {
        "Experiments": {
          "BucketCount": 100,
          "Layers": [
            { "Name": "recall", "Salt": "recall",
              "Experiments": [
                { "Name": "exp", "Buckets": [ "0-99" ], "PrimaryMetric": "revenue", "TargetEffect": 0,
                  "Guardrails": [ { "Metric": "ctr", "Margin": 1.5 }, { "Metric": "ctr", "Margin": 0.01 }, { "Metric": "latency", "Margin": 0.1 }, { "Metric": "hit_rate", "Margin": -0.1 } ],
                  "Variants": [ { "Name": "control", "Share": 0.5 }, { "Name": "treatment", "Share": 0.5 } ] }
              ] }
          ]
        }
      }
    }
    """;

    [Fact]
    public void ReportsEveryBadGuardrailNamingTheEntryAndTheValue()
    {
        var failures = TestConfigurations.Validator().Validate(TestConfigurations.Options(Broken));
        const string path = "RecFramework:Experiments:Layers[0] 'recall':Experiments[0] 'exp'";
        string[] expected =
        [
            $"{path}:PrimaryMetric = 'revenue' is not a metric (known: ctr, hit_rate, clicks_per_user, recall_at_k, ndcg_at_k, active_days_per_user, items_consumed_per_user, retention_day_N, TYPE_per_exposure, TYPE_per_click, TYPE_mean_value).",
            $"{path}:TargetEffect = 0 must be a relative effect in (0, 10].",
            $"{path}:Guardrails[0] 'ctr': Margin = 1.5 must be a relative drop in [0, 1).",
            $"{path}:Guardrails[1] 'ctr': duplicate guardrail metric 'ctr'.",
            $"{path}:Guardrails[2] 'latency': Metric = 'latency' is not a metric (known: ctr, hit_rate, clicks_per_user, recall_at_k, ndcg_at_k, active_days_per_user, items_consumed_per_user, retention_day_N, TYPE_per_exposure, TYPE_per_click, TYPE_mean_value).",
            $"{path}:Guardrails[3] 'hit_rate': Margin = -0.1 must be a relative drop in [0, 1).",
        ];

        Assert.Equal(expected, failures);
    }

    [Theory]
    [InlineData("active_days_per_user", true)]
    [InlineData("items_consumed_per_user", true)]
    [InlineData("retention_day_1", true)]
    [InlineData("retention_day_28", true)]
    [InlineData("retention_day_0", false)]
    [InlineData("retention_day_", false)]
    [InlineData("retention_day_x", false)]
    [InlineData("like_per_exposure", true)]
    [InlineData("share_per_click", true)]
    [InlineData("dwell_mean_value", true)]
    [InlineData("like_mean_value", false)]
    [InlineData("dislike_per_exposure", false)]
    [InlineData("impression_per_click", false)]
    [InlineData("bogus_per_click", false)]
    public void UserLevelAndEventTypeMetricsCanBeNamed(string metric, bool valid)
    {
        var config = $$"""
        {
          "RecFramework": {
            "Experiments": {
              "BucketCount": 100,
              "Layers": [
                { "Name": "recall", "Salt": "recall",
                  "Experiments": [
                    { "Name": "exp", "Buckets": [ "0-99" ], "PrimaryMetric": "{{metric}}", "Guardrails": [ { "Metric": "{{metric}}", "Margin": 0.02 } ],
                      "Variants": [ { "Name": "control", "Share": 0.5 }, { "Name": "treatment", "Share": 0.5 } ] }
                  ] }
              ]
            }
          }
        }
        """;

        var failures = TestConfigurations.Validator().Validate(TestConfigurations.Options(config));

        Assert.Equal(valid ? 0 : 2, failures.Count);
    }
}
