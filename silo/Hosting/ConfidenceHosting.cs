using SignalFlow.Quality;
using SignalFlow.Strategies;

namespace SignalFlow.Silo.Hosting;

public static class ConfidenceHosting
{
    /// <summary>Where the factor weights are configured: <c>SignalFlow:Confidence:Weights:RiskReward</c> and so on.</summary>
    public const string WeightsSection = "SignalFlow:Confidence:Weights";

    /// <summary>
    /// The confidence scorer with the weights of <see cref="WeightsSection"/> (the seed weights where unset), refused
    /// at start unless they lie in [0, 1] and sum to 1.
    /// </summary>
    public static IServiceCollection AddSignalFlowConfidence(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ConfidenceOptions>().Bind(configuration.GetSection(ConfidenceOptions.Section));
        services.AddOptions<ConfidenceWeights>().Bind(configuration.GetSection(WeightsSection)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ConfidenceWeights>, ConfidenceWeightsValidator>();
        services.AddSingleton(sp => new ConfidenceScorer(sp.GetRequiredService<IOptions<ConfidenceWeights>>().Value));
        return services;
    }

    /// <summary>The weights from a configuration without a host (the backtest verb), checked the same way.</summary>
    public static ConfidenceScorer ScorerFrom(IConfiguration configuration)
    {
        var weights = configuration.GetSection(WeightsSection).Get<ConfidenceWeights>() ?? new ConfidenceWeights();
        return new ConfidenceWeightsValidator().Validate(null, weights) is { Failed: true } result
            ? throw new InvalidOperationException(result.FailureMessage)
            : new ConfidenceScorer(weights);
    }

    private sealed class ConfidenceWeightsValidator : IValidateOptions<ConfidenceWeights>
    {
        public ValidateOptionsResult Validate(string? name, ConfidenceWeights options) =>
            options.Problems().ToList() is { Count: > 0 } problems
                ? ValidateOptionsResult.Fail(problems.Select(p => $"{WeightsSection}: {p}."))
                : ValidateOptionsResult.Success;
    }
}
