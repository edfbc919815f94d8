using Microsoft.Extensions.Options;
using RecFramework.AspNetCore.Telemetry;
using RecFramework.Stores;

namespace RecFramework.AspNetCore;

/// <summary>
/// <c>POST /events</c>: a batch of interaction events. Each event is validated; valid ones are made durable in the
/// <see cref="IEventStore"/> before the response and then applied to the online stores (history, popularity) so the
/// next request sees them. A batch with invalid events answers 400 with a reason per rejected event, and still keeps
/// the valid ones.
/// </summary>
internal static class EventEndpoints
{
    public static IEndpointRouteBuilder MapEventEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/events", IngestAsync);
        return app;
    }

    private static async Task<IResult> IngestAsync(
        EventBatchDto? batch,
        IEventStore events,
        IUserHistoryStore history,
        IItemPopularityStore popularity,
        Catalog.IItemCatalog catalog,
        IOptionsMonitor<ServiceOptions> options,
        ExposureLog exposures,
        ServiceMetrics metrics,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var limits = options.CurrentValue;
        if (batch?.Events is null)
        {
            return TypedResults.Problem("The body must be a JSON object with an 'events' array.", statusCode: StatusCodes.Status400BadRequest);
        }

        if (batch.Events.Count > limits.MaxEventBatch)
        {
            metrics.EventsRejected(batch.Events.Count);
            return TypedResults.Problem($"Batch of {batch.Events.Count} events exceeds the limit of {limits.MaxEventBatch}.", statusCode: StatusCodes.Status400BadRequest);
        }

        var validator = new EventValidator(time.GetUtcNow(), TimeSpan.FromSeconds(limits.MaxEventClockSkewSeconds));
        var accepted = new List<EventRecord>(batch.Events.Count);
        var rejected = new List<RejectedEventDto>();
        for (var i = 0; i < batch.Events.Count; i++)
        {
            if (validator.TryValidate(batch.Events[i], out var record, out var reason))
            {
                accepted.Add(record);
            }
            else
            {
                rejected.Add(new RejectedEventDto(i, reason));
            }
        }

        if (accepted.Count > 0)
        {
            await events.AppendAsync(accepted, cancellationToken).ConfigureAwait(false);
            foreach (var record in accepted)
            {
                metrics.EventAccepted(record.Event.Type.ToName());
                await catalog.ObserveAsync(record.Event.ItemId, DateTimeOffset.FromUnixTimeSeconds(record.Event.Timestamp), cancellationToken).ConfigureAwait(false); // first-seen time of new items
                if (record.Event.IsPositive)
                {
                    if (record.RequestId is not null)
                    {
                        exposures.Clicked(record.RequestId, record.Event.UserId, record.Event.ItemId, DateTimeOffset.FromUnixTimeSeconds(record.Event.Timestamp));
                    }

                    await history.AppendAsync(record.Event, cancellationToken).ConfigureAwait(false);
                    await popularity.IncrementAsync(record.Event.ItemId, 1, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        metrics.EventsRejected(rejected.Count);
        var result = new EventBatchResultDto(accepted.Count, rejected);
        return rejected.Count == 0 ? TypedResults.Ok(result) : TypedResults.BadRequest(result);
    }
}
