using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace RecFramework.Channels.TwoTower;

/// <summary>
/// Hyper-parameters of the two-tower channel, bound from <c>RecFramework:Channels:{name}:Options</c> and validated
/// at start-up. Builders accept per-build overrides through <see cref="RecFramework.Channels.ChannelBuildContext.Parameters"/>
/// (keys are the property names, case-insensitive).
/// </summary>
public sealed class TwoTowerOptions
{
    /// <summary>Training objective.</summary>
    public TrainingMode Mode { get; set; } = TrainingMode.InBatchSoftmax;

    /// <summary>Subtract log p_j from in-batch logits (sampling-bias correction).</summary>
    public bool LogQCorrection { get; set; } = true;

    /// <summary>Where p_j comes from for the logQ correction.</summary>
    public FrequencyEstimate FrequencyEstimate { get; set; } = FrequencyEstimate.Streaming;

    /// <summary>Output vector dimension of both towers.</summary>
    [Range(2, 4096)]
    public int Dimension { get; set; } = 64;

    /// <summary>Dimension of the id embeddings.</summary>
    [Range(1, 4096)]
    public int IdEmbeddingDimension { get; set; } = 64;

    /// <summary>Dimension of categorical / multi-categorical / bucketised feature embeddings.</summary>
    [Range(1, 1024)]
    public int FeatureEmbeddingDimension { get; set; } = 16;

    /// <summary>Hidden layer widths of both towers' MLPs ("128" or "256,128").</summary>
    [Required]
    [RegularExpression(@"^\s*\d+(\s*,\s*\d+)*\s*$|^\s*$")]
    public string HiddenLayers { get; set; } = "128";

    /// <summary>Hidden activation.</summary>
    public Activation Activation { get; set; } = Activation.Relu;

    /// <summary>Dropout after each hidden layer during training.</summary>
    [Range(0.0, 0.9)]
    public double Dropout { get; set; }

    /// <summary>SENet re-weighting of the feature-field embeddings.</summary>
    public bool SeNet { get; set; }

    /// <summary>Use an id embedding in each tower.</summary>
    public bool UseIds { get; set; } = true;

    /// <summary>
    /// Recent positive items the user tower pools (mean of their embeddings, newest kept; 0: off). Training uses each
    /// user's latest train items without the target item; serving uses the request's history.
    /// </summary>
    [Range(0, 1000)]
    public int HistoryLength { get; set; }

    /// <summary>Hash ids into this many buckets when the vocabulary is larger (0: never hash).</summary>
    [Range(0, int.MaxValue)]
    public int IdHashBuckets { get; set; }

    /// <summary>How continuous features are encoded.</summary>
    public ContinuousEncoding ContinuousEncoding { get; set; } = ContinuousEncoding.Normalize;

    /// <summary>Buckets for <see cref="ContinuousEncoding.Bucketize"/>.</summary>
    [Range(2, 10_000)]
    public int ContinuousBuckets { get; set; } = 10;

    /// <summary>Apply log1p before bucketising (long-tailed features).</summary>
    public bool LogBeforeBucketize { get; set; }

    /// <summary>Probability of replacing a user id by the out-of-vocabulary slot during training (teaches cold start).</summary>
    [Range(0.0, 1.0)]
    public double IdDropout { get; set; } = 0.02;

    /// <summary>Softmax temperature: score = cos / temperature.</summary>
    [Range(1e-4, 100.0)]
    public double Temperature { get; set; } = 0.1;

    /// <summary>Mini-batch size.</summary>
    [Range(2, 1 << 20)]
    public int BatchSize { get; set; } = 512;

    /// <summary>Maximum epochs (early stopping may end sooner).</summary>
    [Range(1, 10_000)]
    public int Epochs { get; set; } = 20;

    /// <summary>Adam learning rate (MLPs; also the tables unless <see cref="SparseEmbeddings"/>).</summary>
    [Range(1e-7, 10.0)]
    public double LearningRate { get; set; } = 5e-3;

    /// <summary>Sparse embedding gradients with Adagrad for the tables (large vocabularies), Adam for the MLPs.</summary>
    public bool SparseEmbeddings { get; set; }

    /// <summary>Adagrad learning rate for sparse tables.</summary>
    [Range(1e-7, 10.0)]
    public double SparseLearningRate { get; set; } = 0.05;

    /// <summary>Per-epoch multiplicative learning-rate decay (1: constant).</summary>
    [Range(0.01, 1.0)]
    public double LearningRateDecay { get; set; } = 0.9;

    /// <summary>Epochs without validation improvement before stopping (0: never stop early).</summary>
    [Range(0, 1000)]
    public int Patience { get; set; } = 8;

    /// <summary>
    /// After early stopping has picked the best epoch count on the validation slice, train a fresh model on every
    /// training positive (the slice included) for that many epochs and publish it. Costs a second training run; the
    /// slice holds each user's latest positives, which are the most telling ones to leave out.
    /// </summary>
    public bool Refit { get; set; } = true;

    /// <summary>Fraction of each user's latest training positives held out for validation (0: none).</summary>
    [Range(0.0, 0.5)]
    public double ValidationFraction { get; set; } = 0.2;

    /// <summary>Negatives per positive for pointwise, pairwise and listwise modes.</summary>
    [Range(1, 10_000)]
    public int Negatives { get; set; } = 3;

    /// <summary>Margin m of the triplet hinge loss.</summary>
    [Range(0.0, 2.0)]
    public double Margin { get; set; } = 0.2;

    /// <summary>σ of the triplet logistic loss.</summary>
    [Range(0.01, 1000.0)]
    public double Sigma { get; set; } = 10.0;

    /// <summary>Exponent of the global negative sampler: p ∝ clicks^alpha.</summary>
    [Range(0.0, 2.0)]
    public double NegativeSamplingExponent { get; set; } = 0.75;

    /// <summary>
    /// <see cref="TrainingMode.InBatchSoftmax"/> only: items drawn per batch from the whole training catalogue with
    /// p ∝ clicks^<see cref="NegativeSamplingExponent"/> (an alias table) and added to every row's softmax denominator
    /// beside the batch's own items (mixed negative sampling: easy global negatives next to the in-batch ones). A drawn
    /// item equal to a row's positive is masked for that row. With <see cref="LogQCorrection"/> every logit of item j,
    /// the positive's included, is lowered by log(B·p_j + G·q_j): the expected count of j among the B in-batch and G
    /// drawn negatives (p_j from <see cref="FrequencyEstimate"/>, q_j the sampler's probability); with G = 0 this is the
    /// plain in-batch logQ. 0 (default): off.
    /// </summary>
    [Range(0, 1 << 16)]
    public int GlobalNegatives { get; set; }

    /// <summary>
    /// In-batch softmax (without <see cref="GlobalNegatives"/> or <see cref="SslWeight"/>): run the item tower and the
    /// logits once per distinct item of the batch instead of once per example. The loss is the same (a column of an item
    /// that occurs c times gets + log c, the positive's column its own logit alone, as the masking of duplicates did), so
    /// are the gradients; only the work shrinks with the share of repeated items (about 30 % of a 512-example batch on
    /// ML-100K). Default on; off reproduces the per-example computation.
    /// </summary>
    public bool DeduplicateBatchItems { get; set; } = true;

    /// <summary>Fraction of sampled negatives drawn from the hard-negative lists when given (0..1).</summary>
    [Range(0.0, 1.0)]
    public double HardNegativeRatio { get; set; }

    /// <summary>Down-sample positives of hot items: keep with probability min(1, sqrt(t / f) + t / f) where f is the item's share (0: off).</summary>
    [Range(0.0, 1.0)]
    public double HotItemThreshold { get; set; }

    /// <summary>Weight of the self-supervised item-tower loss (0: off).</summary>
    [Range(0.0, 100.0)]
    public double SslWeight { get; set; }

    /// <summary>Feature-mask probability of the self-supervised transforms.</summary>
    [Range(0.0, 1.0)]
    public double SslMaskProbability { get; set; } = 0.3;

    /// <summary>Self-supervised transform.</summary>
    public SslAugmentation SslAugmentation { get; set; } = SslAugmentation.RandomMask;

    /// <summary>Slots of the streaming frequency estimator's hash arrays.</summary>
    [Range(16, 1 << 28)]
    public int FrequencyHashSlots { get; set; } = 1 << 20;

    /// <summary>Learning rate α of the streaming frequency estimator.</summary>
    [Range(1e-6, 1.0)]
    public double FrequencyLearningRate { get; set; } = 0.05;

    /// <summary>Intra-op threads of libtorch.</summary>
    [Range(1, 256)]
    public int Threads { get; set; } = 2;

    /// <summary>Vector index description handed to the <see cref="RecFramework.Vectors.IVectorIndexFactory"/>.</summary>
    [Required]
    public string IndexDescription { get; set; } = "Flat";

    /// <summary>Also index items that only appear in the item profile table (cold items, served through their features).</summary>
    public bool IndexColdItems { get; set; }

    /// <summary>Profile fields left out of both towers (comma-separated names).</summary>
    public string ExcludeFeatures { get; set; } = "";

    /// <summary>Show a console progress bar while training (CLI).</summary>
    public bool ShowProgress { get; set; }

    /// <summary>
    /// Serving: cache each user's user-tower output in the registered <see cref="RecFramework.Stores.IUserEmbeddingStore"/>
    /// (Redis with <c>AddRedisStores</c>, so replicas share it), keyed by channel, model
    /// version and user, so a hot swap never serves another model's vectors. A hit skips the tower's forward pass; a
    /// miss computes the vector and writes it back in the background. Only used when the served model's
    /// <see cref="HistoryLength"/> is 0: with a history the tower reads the request's recent items, which change from
    /// request to request, so the cache is bypassed (logged once per activation). A vector is cached per user whatever
    /// profile the request carried, so profile changes reach cached vectors within
    /// <see cref="UserVectorCacheTtlSeconds"/>. Default off. Not recorded in artifacts.
    /// </summary>
    [JsonIgnore]
    public bool CacheUserVectors { get; set; }

    /// <summary>Serving: lifetime in seconds of a cached user vector (<see cref="CacheUserVectors"/>).</summary>
    [JsonIgnore]
    [Range(1, 604_800)]
    public int UserVectorCacheTtlSeconds { get; set; } = 600;

    /// <summary>
    /// Serving: longest wait in milliseconds for a cached user vector (<see cref="CacheUserVectors"/>); a slower or
    /// failed read computes the tower instead (failures are logged at Warning at most once a minute).
    /// </summary>
    [JsonIgnore]
    [Range(1, 10_000)]
    public int UserVectorCacheReadTimeoutMs { get; set; } = 20;

    /// <summary>Parsed <see cref="HiddenLayers"/>.</summary>
    public int[] HiddenWidths() => string.IsNullOrWhiteSpace(HiddenLayers)
        ? []
        : HiddenLayers.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();

    /// <summary>Parsed <see cref="ExcludeFeatures"/>.</summary>
    public IReadOnlySet<string> ExcludedFeatureSet() => ExcludeFeatures
        .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);

    /// <summary>A copy.</summary>
    public TwoTowerOptions Clone() => (TwoTowerOptions)MemberwiseClone();

    /// <summary>
    /// The options a tuning run searches (<c>tune</c>, docs/tuning.md), kept small because every trial trains a
    /// model: epochs, learning rate and softmax temperature.
    /// </summary>
    public static RecFramework.Tuning.TuningSpace SearchSpace { get; } = RecFramework.Tuning.TuningSpace.Of(
        RecFramework.Tuning.TuningParameter.Of(nameof(Epochs), 10, 20),
        RecFramework.Tuning.TuningParameter.Of(nameof(LearningRate), 2e-3, 5e-3, 1e-2),
        RecFramework.Tuning.TuningParameter.Of(nameof(Temperature), 0.05, 0.1, 0.2));
}
