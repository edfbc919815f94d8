using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace RecFramework.Channels.TwoTower.Training;

/// <summary>
/// The two-tower objectives, on cosine similarities of L2-normalised vectors. Scalars handed to libtorch are
/// explicit and kept alive across the native call (a temporary Scalar from an implicit conversion can be finalised
/// by the GC while libtorch still reads it: seen as "toFloat: Expected false to be true" under load).
/// </summary>
internal static class Losses
{
    private static readonly Scalar MaskedLogit = (-1e9).ToScalar();

    /// <summary>
    /// In-batch softmax: row i's positive is item i, the other items of the batch are its negatives. Logits are
    /// cos / τ − log p_j (logQ correction when <paramref name="logQ"/> is given); columns holding the same item as
    /// row i's positive (duplicates in the batch) are masked out.
    /// </summary>
    /// <param name="users">[B, D] unit rows.</param>
    /// <param name="items">[B, D] unit rows.</param>
    /// <param name="logQ">[B] float32 log p_j, or null.</param>
    /// <param name="itemKeys">[B] int64 item keys for duplicate masking, or null.</param>
    /// <param name="temperature">τ.</param>
    public static Tensor InBatchSoftmax(Tensor users, Tensor items, Tensor? logQ, Tensor? itemKeys, double temperature)
    {
        using var inverseTemperature = (1.0 / temperature).ToScalar();
        var logits = users.matmul(items.t()).mul_(inverseTemperature);
        if (logQ is not null)
        {
            logits = logits - logQ.unsqueeze(0);
        }

        var batch = users.shape[0];
        if (itemKeys is not null)
        {
            var same = itemKeys.unsqueeze(1).eq(itemKeys.unsqueeze(0));
            var offDiagonal = same.logical_and(eye(batch, dtype: ScalarType.Bool).logical_not());
            logits = logits.masked_fill(offDiagonal, MaskedLogit);
        }

        return functional.cross_entropy(logits, arange(batch, dtype: ScalarType.Int64));
    }

    /// <summary>
    /// <see cref="InBatchSoftmax"/> computed over the batch's distinct items: row i's positive is column
    /// <paramref name="targets"/>[i]; every other column k stands for its <c>count_k</c> occurrences in the batch and gets
    /// + log count_k, the positive's column counts once (its other occurrences are the masked duplicates of
    /// <see cref="InBatchSoftmax"/>). Same loss and gradients with U ≤ B item rows.
    /// </summary>
    /// <param name="users">[B, D] unit rows.</param>
    /// <param name="uniqueItems">[U, D] unit rows, one per distinct item of the batch.</param>
    /// <param name="logQ">[U] float32 logQ per distinct item, or null.</param>
    /// <param name="targets">[B] int64 column of each row's positive.</param>
    /// <param name="logCounts">[U] float32 log of each distinct item's count in the batch.</param>
    /// <param name="temperature">τ.</param>
    public static Tensor InBatchSoftmaxDistinct(Tensor users, Tensor uniqueItems, Tensor? logQ, Tensor targets, Tensor logCounts, double temperature)
    {
        // Logits = cos / τ + bias, with bias[i, k] = log count_k − logQ_k and, at row i's positive, − logQ_k alone: the
        // bias does not depend on the weights, so it is built once and added by the product itself (addmm), with no
        // scaling, subtraction or addition passes over the [B, U] logits forward or backward.
        var batch = users.shape[0];
        var columns = uniqueItems.shape[0];
        var perColumn = logQ is null ? logCounts : logCounts - logQ;
        var bias = perColumn.unsqueeze(0).expand(batch, columns).contiguous();
        var atPositive = logQ is null ? zeros(batch, 1) : logQ.index_select(0, targets).neg_().unsqueeze(1);
        bias.scatter_(1, targets.unsqueeze(1), atPositive);
        var logits = bias.addmm(users, uniqueItems.t(), beta: 1f, alpha: (float)(1.0 / temperature));
        return functional.cross_entropy(logits, targets);
    }

    /// <summary>
    /// In-batch softmax with G extra negatives shared by the batch (mixed negative sampling): row i's positive is item i,
    /// its negatives the batch's other items and the G drawn items. Logits are cos / τ − logQ of the column's item
    /// when <paramref name="logQ"/> is given; batch columns holding row i's positive item (other than i itself) and
    /// drawn columns equal to it are masked out.
    /// </summary>
    /// <param name="users">[B, D] unit rows.</param>
    /// <param name="items">[B, D] unit rows.</param>
    /// <param name="drawn">[G, D] unit rows of the drawn items.</param>
    /// <param name="logQ">[B + G] float32 log of each column's expected count (batch columns first), or null.</param>
    /// <param name="itemKeys">[B] int64 item keys of the batch.</param>
    /// <param name="drawnKeys">[G] int64 item keys of the drawn items.</param>
    /// <param name="temperature">τ.</param>
    public static Tensor MixedSoftmax(Tensor users, Tensor items, Tensor drawn, Tensor? logQ, Tensor itemKeys, Tensor drawnKeys, double temperature)
    {
        using var inverseTemperature = (1.0 / temperature).ToScalar();
        var logits = users.matmul(torch.cat([items, drawn], 0).t()).mul_(inverseTemperature);
        if (logQ is not null)
        {
            logits = logits - logQ.unsqueeze(0);
        }

        var batch = users.shape[0];
        var same = itemKeys.unsqueeze(1).eq(itemKeys.unsqueeze(0)).logical_and(eye(batch, dtype: ScalarType.Bool).logical_not());
        var drawnSame = itemKeys.unsqueeze(1).eq(drawnKeys.unsqueeze(0));
        logits = logits.masked_fill(torch.cat([same, drawnSame], 1), MaskedLogit);
        return functional.cross_entropy(logits, arange(batch, dtype: ScalarType.Int64));
    }

    /// <summary>Pointwise binary loss: logistic on cos / τ with label +1 for positives and −1 for negatives, averaged over all pairs.</summary>
    /// <param name="positive">[B] cos(a, b+).</param>
    /// <param name="negative">[B, n] cos(a, b−).</param>
    /// <param name="temperature">τ.</param>
    public static Tensor Pointwise(Tensor positive, Tensor negative, double temperature)
    {
        using var inverseTemperature = (1.0 / temperature).ToScalar();
        using var minusInverseTemperature = (-1.0 / temperature).ToScalar();
        using var inverseCount = (1.0 / (positive.numel() + negative.numel())).ToScalar();
        var pos = functional.softplus(positive.mul(minusInverseTemperature)).sum();
        var neg = functional.softplus(negative.mul(inverseTemperature)).sum();
        return pos.add(neg).mul_(inverseCount);
    }

    /// <summary>Triplet hinge: mean of max(0, cos(a, b−) + m − cos(a, b+)).</summary>
    public static Tensor TripletHinge(Tensor positive, Tensor negative, double margin)
    {
        using var m = margin.ToScalar();
        return functional.relu(negative.add(m).sub_(positive.unsqueeze(1))).mean();
    }

    /// <summary>Triplet logistic: mean of log(1 + exp(σ (cos(a, b−) − cos(a, b+)))).</summary>
    public static Tensor TripletLogistic(Tensor positive, Tensor negative, double sigma)
    {
        using var s = sigma.ToScalar();
        return functional.softplus(negative.sub(positive.unsqueeze(1)).mul_(s)).mean();
    }

    /// <summary>
    /// Listwise (sampled softmax): one positive and n negatives per row, cross-entropy with the positive as target;
    /// logits cos / τ − log q when <paramref name="logQPositive"/> / <paramref name="logQNegative"/> are given.
    /// </summary>
    /// <param name="positive">[B] cos(a, b+).</param>
    /// <param name="negative">[B, n] cos(a, b−).</param>
    /// <param name="temperature">τ.</param>
    /// <param name="logQPositive">[B] or null.</param>
    /// <param name="logQNegative">[B, n] or null.</param>
    public static Tensor Listwise(Tensor positive, Tensor negative, double temperature, Tensor? logQPositive = null, Tensor? logQNegative = null)
    {
        using var inverseTemperature = (1.0 / temperature).ToScalar();
        var pos = positive.mul(inverseTemperature);
        var neg = negative.mul(inverseTemperature);
        if (logQPositive is not null && logQNegative is not null)
        {
            pos = pos - logQPositive;
            neg = neg - logQNegative;
        }

        var logits = torch.cat([pos.unsqueeze(1), neg], 1);
        return functional.cross_entropy(logits, zeros(positive.shape[0], dtype: ScalarType.Int64));
    }

    /// <summary>Contrastive (InfoNCE) loss pulling two views of the same item together against the batch's other items.</summary>
    /// <param name="first">[B, D] unit rows.</param>
    /// <param name="second">[B, D] unit rows.</param>
    /// <param name="temperature">τ.</param>
    public static Tensor Contrastive(Tensor first, Tensor second, double temperature)
        => InBatchSoftmax(first, second, null, null, temperature);
}
