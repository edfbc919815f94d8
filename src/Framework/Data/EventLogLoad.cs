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

    /// <summary>
    /// The load in one line, counts grouped in the current culture: "2026-12-05 20:00:00Z .. 2026-12-06 20:00:00Z:
    /// 1,200 events of 1,500 read, 3 new users, 0 new items".
    /// </summary>
    /// <returns>The line, without a line end.</returns>
    public string Describe() =>
        $"{Window.Since:u} .. {Window.Until:u}: {Dataset.Interactions.Length:N0} events of {Scanned:N0} read, {NewUsers:N0} new users, {NewItems:N0} new items";
}
