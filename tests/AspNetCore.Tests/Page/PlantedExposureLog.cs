using Microsoft.Extensions.DependencyInjection;
using RecFramework.Experiments;
using RecFramework.Experiments.Analysis;
using RecFramework.Experiments.Logging;

namespace RecFramework.AspNetCore.Tests.Page;

/// <summary>
/// A seeded exposure log of several days written beside a running service as its rotated file (<c>exposures.jsonl.1</c>,
/// read before the current one): users arrive on a random day and come back on later days with probability 0.6; each visit
/// is one request of 5 items, each item clicked with probability 0.04 for the control and 0.08 for the treatment (the
/// planted difference). Every record carries the assignment the service's own router gives the user, so the configured
/// shares apply and the SRM checks run.
/// </summary>
internal static class PlantedExposureLog
{
    public const double ControlClickRate = 0.04;
    public const double TreatmentClickRate = 0.08;

    public static async Task WriteAsync(ServiceUnderTest service, int users, int days, int seed)
    {
        var router = service.App.Services.GetRequiredService<IExperimentRouter>();
        var random = new Random(seed);
        var today = (int)(DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 86_400);
        var requests = new List<RequestRecord>();
        var exposures = new List<ExposureRecord>();
        var clicks = new List<ClickRecord>();
        for (var user = 1; user <= users; user++)
        {
            var stamp = router.Assign(user).Stamp;
            var rate = stamp.Layers.Any(l => l.Variant == "treatment") ? TreatmentClickRate : ControlClickRate;
            var first = random.Next(days);
            for (var d = first; d < days; d++)
            {
                if (d > first && random.NextDouble() >= 0.6)
                {
                    continue;
                }

                var day = today - (days - 1) + d;
                var id = $"r{user}-{d}";
                requests.Add(new RequestRecord(id, user, day, 5, stamp));
                var clicked = new HashSet<long>();
                for (var position = 0; position < 5; position++)
                {
                    var item = position + 1 + (5 * random.Next(40)); // distinct within the request
                    exposures.Add(new ExposureRecord(id, user, day, item, position, "popular", stamp));
                    if (random.NextDouble() < rate && clicked.Add(item))
                    {
                        clicks.Add(new ClickRecord(id, user, day, item, position, "popular", stamp));
                    }
                }
            }
        }

        var log = new ExperimentLog { Requests = requests, Exposures = exposures, Clicks = clicks };
        await LoggedEventsFile.WriteAsync(log, Path.Combine(service.Root, "exposures.jsonl.1"), CancellationToken.None);
    }
}
