using Microsoft.AspNetCore.Http.HttpResults;

namespace RecFramework.AspNetCore;

/// <summary>
/// Binds a <c>{userId}</c> route value: at most <see cref="ServiceOptions.MaxUserIdLength"/> characters and a 64-bit
/// integer, else a 400 problem naming the field, the value (cut) and the rule. One binding for every route that takes a
/// user id, so that none answers a bad id with the router's empty 404.
/// </summary>
internal static class UserIdBinding
{
    public static bool TryBind(string userId, int maxLength, out long id, out ProblemHttpResult problem)
    {
        id = 0;
        problem = null!;
        if (userId.Length > maxLength)
        {
            problem = Problems.BadInput("userId", userId[..maxLength], $"has {userId.Length} characters; at most {maxLength} are allowed",
                detail: $"userId '{userId[..maxLength]}…' has {userId.Length} characters; at most {maxLength} are allowed.");
            return false;
        }

        if (!long.TryParse(userId, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out id))
        {
            problem = Problems.BadInput("userId", userId, "is not a 64-bit integer");
            return false;
        }

        return true;
    }
}
