using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RecFramework.DependencyInjection;

namespace RecFramework.Lifecycle;

/// <summary>Registers the <see cref="ModelUpdateWorker"/>.</summary>
public static class ModelUpdateRecBuilderExtensions
{
    /// <summary>
    /// Adds the hosted <see cref="ModelUpdateWorker"/> with its options from <c>RecFramework:Updates</c> (validated at
    /// start-up, each failure naming the channel). Safe to call twice.
    /// </summary>
    public static IRecBuilder AddModelUpdates(this IRecBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<ModelUpdateOptions>().Bind(builder.Configuration.GetSection(ModelUpdateOptions.Section)).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ModelUpdateOptions>, ScheduleValidator>());
        builder.Services.TryAddSingleton<ModelUpdateWorker>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ModelUpdateWorker>(sp => sp.GetRequiredService<ModelUpdateWorker>()));
        return builder;
    }

    /// <summary>Every schedule's DataAnnotations rules, each failure naming the channel.</summary>
    private sealed class ScheduleValidator : IValidateOptions<ModelUpdateOptions>
    {
        public ValidateOptionsResult Validate(string? name, ModelUpdateOptions options)
        {
            var failures = new List<string>();
            var top = new List<ValidationResult>();
            if (!Validator.TryValidateObject(options, new ValidationContext(options), top, validateAllProperties: true))
            {
                failures.AddRange(top.Select(r => $"{ModelUpdateOptions.Section}: {r.ErrorMessage}"));
            }

            foreach (var (channel, schedule) in options.Channels)
            {
                var results = new List<ValidationResult>();
                if (schedule is null)
                {
                    failures.Add($"{ModelUpdateOptions.Section}:Channels:{channel} is empty.");
                }
                else if (!Validator.TryValidateObject(schedule, new ValidationContext(schedule), results, validateAllProperties: true))
                {
                    failures.AddRange(results.Select(r => $"{ModelUpdateOptions.Section}:Channels:{channel}: {r.ErrorMessage}"));
                }
                else if (schedule.EveryMinutes == 0 && string.IsNullOrEmpty(schedule.FullAt))
                {
                    failures.Add($"{ModelUpdateOptions.Section}:Channels:{channel}: EveryMinutes is 0 and FullAt is empty: the channel would never be updated.");
                }
                else if (schedule.GateMinutes >= schedule.WindowMinutes)
                {
                    failures.Add($"{ModelUpdateOptions.Section}:Channels:{channel}: GateMinutes ({schedule.GateMinutes}) must be below WindowMinutes ({schedule.WindowMinutes}).");
                }
                else if (schedule.ResumeFromLog && schedule.GateMinutes > 0)
                {
                    failures.Add($"{ModelUpdateOptions.Section}:Channels:{channel}: ResumeFromLog needs GateMinutes = 0 (got {schedule.GateMinutes}): the gate holds the newest events out of the build, and a resumed update would never train on them.");
                }
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
