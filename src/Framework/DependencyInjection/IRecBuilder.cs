using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace RecFramework.DependencyInjection;

/// <summary>Returned by <c>AddRecFramework</c>; channel assemblies add their channels through extension methods on it.</summary>
public interface IRecBuilder
{
    /// <summary>The service collection.</summary>
    IServiceCollection Services { get; }

    /// <summary>The configuration the framework binds from.</summary>
    IConfiguration Configuration { get; }
}
