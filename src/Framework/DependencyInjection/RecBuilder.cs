using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace RecFramework.DependencyInjection;

internal sealed class RecBuilder(IServiceCollection services, IConfiguration configuration) : IRecBuilder
{
    public IServiceCollection Services { get; } = services;

    public IConfiguration Configuration { get; } = configuration;
}
