using Microsoft.Extensions.Options;

namespace RecFramework.Channels.ItemCF;

/// <summary>Source-generated DataAnnotations validator of <see cref="UserCFOptions"/> (ranges of every field).</summary>
[OptionsValidator]
internal sealed partial class UserCFOptionsValidator : IValidateOptions<UserCFOptions>;
