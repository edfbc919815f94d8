using System.Text.Json.Serialization;

namespace RecFramework.Stores.Redis;

/// <summary>Source-generated JSON for profile values (no reflection on the read path).</summary>
[JsonSerializable(typeof(string[][]))]
internal sealed partial class RedisJsonContext : JsonSerializerContext;
