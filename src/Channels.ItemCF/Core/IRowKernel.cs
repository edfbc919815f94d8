namespace RecFramework.Channels.ItemCF;

/// <summary>One similarity: accumulates a row's raw scores into a scratch and turns a raw score into the similarity.</summary>
internal interface IRowKernel
{
    /// <summary>Adds the raw co-occurrence scores of row <paramref name="row"/> into <paramref name="scratch"/>.</summary>
    void Accumulate(int row, RowScratch scratch);

    /// <summary>The similarity of (<paramref name="row"/>, <paramref name="column"/>) from its raw score.</summary>
    float Finish(int row, int column, float raw);
}
