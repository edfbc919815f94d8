namespace RecFramework.Docs.Tests;

/// <summary>One documented configuration section: where it is, which options class binds it, and what to say first.</summary>
/// <param name="Path">Configuration path (<c>{name}</c> stands for a channel name).</param>
/// <param name="Type">The options class bound from it.</param>
/// <param name="Note">Markdown printed under the heading, before the class summary (registration, scope).</param>
internal sealed record OptionsSection(string Path, Type Type, string Note);
