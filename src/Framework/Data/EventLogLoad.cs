namespace RecFramework.Data;

/// <summary>What <see cref="EventLogDataSource.LoadAsync"/> read: the dataset and how it was made.</summary>
/// <param name="Dataset">The window's events (in log order) with the user and item profiles that apply to them.</param>
/// <param name="Window">The window read.</param>
/// <param name="Report">Events accepted, malformed events and profiles skipped, the first error messages.</param>
/// <param name="Scanned">Events read from the log (inside the window or not).</param>
/// <param name="LastSequence">The largest sequence read (the <see cref="EventLogWindow.AfterSequence"/> of a later read), or the window's own when nothing was read.</param>
/// <param name="NewUsers">Users of the window that the profile data set neither has a profile for nor an event of.</param>
/// <param name="NewItems">Items of the window that the profile data set neither has a profile for nor an event of.</param>
public sealed record EventLogLoad(InteractionDataset Dataset, EventLogWindow Window, LoadReport Report, long Scanned, long LastSequence, int NewUsers, int NewItems)
{
    /// <summary>True when the window holds no event: there is nothing to build from.</summary>
    public bool IsEmpty => Dataset.Interactions.Length == 0;
}
