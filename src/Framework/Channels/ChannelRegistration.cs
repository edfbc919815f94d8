namespace RecFramework.Channels;

/// <summary>A registered channel: its name and implementation type (and builder type when it has one).</summary>
/// <param name="Name">Unique lower-kebab name.</param>
/// <param name="ChannelType">The <see cref="IRecallChannel"/> implementation.</param>
public sealed record ChannelRegistration(string Name, Type ChannelType);
