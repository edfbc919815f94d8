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
        services.TryAddSingleton<ExperimentRecommender>();
        services.Replace(ServiceDescriptor.Singleton<RecFramework.Lifecycle.IChannelReachability, ExperimentChannelReachability>());
        return builder;
    }

    /// <summary>
    /// Logs every answer of <see cref="ExperimentRecommender"/> as request and exposure lines (and clicks reported
    /// through <see cref="Logging.ExposureLog.Clicked"/>) in the logged-events JSONL format that <c>compare --mode logged</c>
    /// analyses; options <see cref="Logging.ExposureLogOptions"/> (section <c>RecFramework:ExposureLog</c>). Idempotent.
    /// </summary>
    public static IRecBuilder AddExposureLog(this IRecBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddRecExperiments();
        var services = builder.Services;
        services.AddOptions<Logging.ExposureLogOptions>().Bind(builder.Configuration.GetSection(Logging.ExposureLogOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<Logging.ExposureLog>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IExposureSink, Logging.ExposureLog>(sp => sp.GetRequiredService<Logging.ExposureLog>()));
        return builder;
    }

    /// <summary>
    /// Registers <see cref="Analysis.LiveAnalysis"/>, the cached analysis of the exposure log (options
    /// <c>RecFramework:LiveAnalysis</c>), with the exposure log it reads. Idempotent.
    /// </summary>
    public static IRecBuilder AddLiveAnalysis(this IRecBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddExposureLog();
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(Analysis.LiveAnalysis)))
        {
            return builder;
        }

        services.AddOptions<Analysis.LiveAnalysisOptions>().Bind(builder.Configuration.GetSection(Analysis.LiveAnalysisOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<Analysis.LiveAnalysis>();
        return builder;
    }
}
