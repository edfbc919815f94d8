using Microsoft.Extensions.Options;

namespace RecFramework.Stores.Redis;

/// <summary>Source-generated DataAnnotations validator of <see cref="RedisStoreOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class RedisStoreOptionsValidator : IValidateOptions<RedisStoreOptions>;
