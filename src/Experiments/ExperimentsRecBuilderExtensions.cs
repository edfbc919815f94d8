using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RecFramework.DependencyInjection;

namespace RecFramework.Experiments;

/// <summary>DI entry point of the experiments assembly.</summary>
public static class ExperimentsRecBuilderExtensions
{
    /// <summary>
    /// Registers <see cref="IExperimentRouter"/> with <see cref="ExperimentsOptions"/> bound from the
    /// <c>RecFramework:Experiments</c> section (reloaded through <see cref="IOptionsMonitor{TOptions}"/>) and validated at start-up,
    /// every failure at once. Safe to call more than once.
    /// </summary>
    public static IRecBuilder AddRecExperiments(this IRecBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(IExperimentRouter)))
        {
            return builder;
        }

        var section = builder.Configuration.GetSection(ExperimentsOptions.Section);
        // The monitored instance has no validator, so an invalid reload cannot throw inside the change callback;
        // the router validates it and keeps the old state. The start-up copy is validated by ValidateOnStart.
        services.AddOptions<ExperimentsOptions>().Bind(section);
        services.AddOptions<ExperimentsOptions>(ExperimentsOptionsValidator.StartupOptionsName)
            .Configure(options => section.Bind(options))
            .ValidateOnStart();
        services.TryAddSingleton<ExperimentsOptionsValidator>();
        services.AddSingleton<IValidateOptions<ExperimentsOptions>>(sp => sp.GetRequiredService<ExperimentsOptionsValidator>());
        services.TryAddSingleton<ExperimentRouter>();
        services.TryAddSingleton<IExperimentRouter>(sp => sp.GetRequiredService<ExperimentRouter>());
        return builder;
    }
}
