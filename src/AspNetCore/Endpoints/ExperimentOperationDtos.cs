using RecFramework.Experiments.Operations;

namespace RecFramework.AspNetCore;

/// <summary>
/// Body of <c>start</c>, <c>stop</c> and <c>close-reverse</c> (and the common part of the other operations): a dry
/// run, the store version the change expects, and the users whose change is counted (a sample, or an id range;
/// default 1–100000).
/// </summary>
internal sealed record ExperimentChangeDto(bool DryRun = false, long? ExpectedVersion = null, IReadOnlyList<long>? Users = null, long? UserIdFrom = null, long? UserIdTo = null)
{
    public ExperimentChangeRequest ToRequest(string key) => Request(key, DryRun, ExpectedVersion, Users, UserIdFrom, UserIdTo);

    public static ExperimentChangeRequest Request(string key, bool dryRun, long? expectedVersion, IReadOnlyList<long>? users, long? from, long? to) => new()
    {
        Key = key,
        DryRun = dryRun,
        ExpectedVersion = expectedVersion,
        Users = users,
        UserIdFrom = from ?? ExperimentChangeRequest.DefaultUserIdFrom,
        UserIdTo = to ?? ExperimentChangeRequest.DefaultUserIdTo,
    };
}

/// <summary>Body of <c>POST /admin/experiments/{name}/launch</c>: the variant and the reverse bucket's share of all users.</summary>
internal sealed record LaunchDto(
    string Variant, double ReverseShare = 0, bool DryRun = false, long? ExpectedVersion = null, IReadOnlyList<long>? Users = null, long? UserIdFrom = null, long? UserIdTo = null);

/// <summary>Body of <c>POST /admin/holdout/rotate</c>: the new salt (optional: derived from the store version).</summary>
internal sealed record RotateHoldoutDto(
    string? Salt = null, bool DryRun = false, long? ExpectedVersion = null, IReadOnlyList<long>? Users = null, long? UserIdFrom = null, long? UserIdTo = null);

/// <summary>Body of <c>POST /admin/experiments</c>: a new experiment in a layer (created stopped).</summary>
internal sealed record CreateExperimentDto(
    string Layer,
    string Name,
    IReadOnlyList<string> Buckets,
    IReadOnlyList<VariantDto> Variants,
    bool DryRun = false,
    long? ExpectedVersion = null,
    IReadOnlyList<long>? Users = null,
    long? UserIdFrom = null,
    long? UserIdTo = null);

/// <summary>A variant of a new experiment: name, share of its buckets, parameters over the layer default.</summary>
internal sealed record VariantDto(string Name, double Share, IReadOnlyDictionary<string, string>? Parameters = null);

/// <summary>Answer of <c>GET /admin/experiments/audit</c>: the store version and every change, oldest first.</summary>
internal sealed record ExperimentAuditDto(long StoreVersion, IReadOnlyList<ExperimentAuditEntry> Entries);
