namespace RecFramework.Catalog;

/// <summary>How the item catalogue reads the data set (section <c>RecFramework:Catalog</c>).</summary>
public sealed class ItemCatalogOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "RecFramework:Catalog";

    /// <summary>The default <see cref="PublishTimeField"/>.</summary>
    public const string DefaultPublishTimeField = "publish_time";

    /// <summary>
    /// Item profile field holding the publication time (a year, unix seconds or ISO-8601), e.g. <c>release_year</c>
    /// for MovieLens; items without it are ordered by the time they were first seen in an event. Empty: none.
    /// </summary>
    public string? PublishTimeField { get; set; } = DefaultPublishTimeField;
}
