using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RecFramework.Pipeline;

namespace RecFramework.Fusion.Learned;

/// <summary>
/// The <see cref="IFusionModel"/> of <see cref="FusionMode.Learned"/>: serves the model activated in code or read once
/// from <see cref="LearnedFusionOptions.ModelPath"/>. Without one (no path, missing or corrupt files) it logs a warning
/// once and answers null, so the pipeline uses its configured fusion: a bad model file never fails a request.
/// </summary>
public sealed partial class LearnedFusion : IFusionModel
{
    private readonly IOptionsMonitor<LearnedFusionOptions> _options;
    private readonly ILogger<LearnedFusion> _logger;
    private readonly Lock _gate = new();
    private volatile LearnedFusionModel? _model;
    private volatile bool _loadTried;

    /// <summary>Created by the container.</summary>
    public LearnedFusion(IOptionsMonitor<LearnedFusionOptions> options, ILogger<LearnedFusion> logger)
    {
        _options = options;
        _logger = logger;
    }

    /// <summary>The model served, or null (loads it from <see cref="LearnedFusionOptions.ModelPath"/> on first use).</summary>
    public LearnedFusionModel? Current
    {
        get
        {
            if (_model is null && !_loadTried)
            {
                lock (_gate)
                {
                    if (_model is null && !_loadTried)
                    {
                        _model = TryLoad();
                        _loadTried = true;
                    }
                }
            }

            return _model;
        }
    }

    /// <summary>Serves <paramref name="model"/> from now on (replaces the loaded one).</summary>
    public void Activate(LearnedFusionModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        lock (_gate)
        {
            _model = model;
            _loadTried = true;
        }

        LogActivated(_logger, model.Manifest.Version, string.Join(",", model.Manifest.Channels));
    }

    /// <inheritdoc />
    public List<RecommendedItem>? Fuse(FusionInput input, int k) => Current?.Fuse(input, k);

    private LearnedFusionModel? TryLoad()
    {
        var path = _options.CurrentValue.ModelPath;
        if (string.IsNullOrWhiteSpace(path))
        {
            LogNoModel(_logger, LearnedFusionOptions.Section);
            return null;
        }

        try
        {
            var model = LearnedFusionModel.Load(path);
            LogActivated(_logger, model.Manifest.Version, string.Join(",", model.Manifest.Channels));
            return model;
        }
        catch (RecFrameworkException ex)
        {
            LogLoadFailed(_logger, path, ex.Message);
            return null;
        }
    }

    [LoggerMessage(EventId = 9501, Level = LogLevel.Information, Message = "Learned fusion: serving model {Version} over channels {Channels}")]
    private static partial void LogActivated(ILogger logger, string version, string channels);

    [LoggerMessage(EventId = 9502, Level = LogLevel.Warning, Message = "Learned fusion: no model ({Section}:ModelPath is not set and none was activated); requests asking for it use the configured fusion")]
    private static partial void LogNoModel(ILogger logger, string section);

    [LoggerMessage(EventId = 9503, Level = LogLevel.Warning, Message = "Learned fusion: model at {Path} not loaded ({Reason}); requests asking for it use the configured fusion")]
    private static partial void LogLoadFailed(ILogger logger, string path, string reason);
}
