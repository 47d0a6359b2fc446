using SignalFlow.Portfolio;

namespace SignalFlow.Silo.Hosting;

public static class ValidationHosting
{
    /// <summary>The portfolio of open signals (<c>SignalFlow:Portfolio</c>).</summary>
    public static IServiceCollection AddSignalFlowValidation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PortfolioOptions>()
            .Bind(configuration.GetSection(PortfolioOptions.Section))
            .Validate(o => o.MaxBarsOpen >= 1, $"{PortfolioOptions.Section}:MaxBarsOpen must be at least 1.")
            .ValidateOnStart();
        return services;
    }
}
