namespace RecFramework.Experiments.Analysis;

/// <summary>A recall channel's part of a group's exposures and clicks.</summary>
/// <param name="Exposures">Exposures attributed to the channel.</param>
/// <param name="Clicks">Clicks attributed to the channel.</param>
/// <param name="ExposureShare">Exposures / all exposures of the group.</param>
/// <param name="ClickShare">Clicks / all clicks of the group (0 when the group has no click).</param>
public sealed record ChannelShare(long Exposures, long Clicks, double ExposureShare, double ClickShare);
