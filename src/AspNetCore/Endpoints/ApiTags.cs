namespace RecFramework.AspNetCore;

/// <summary>OpenAPI tags of the endpoints, one per area.</summary>
internal static class ApiTags
{
    public const string Recommend = "Recommend";
    public const string Events = "Events";
    public const string Experiments = "Experiments";
    public const string Health = "Health";
    public const string Admin = "Admin";
    public const string Metrics = "Metrics";
}
