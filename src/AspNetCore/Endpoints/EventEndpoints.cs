using System.Text.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Microsoft.Extensions.Options;
using RecFramework.AspNetCore.Telemetry;
using RecFramework.Stores;

namespace RecFramework.AspNetCore;

/// <summary>
/// <c>POST /events</c>: a batch of interaction events. The body is read as a <see cref="JsonDocument"/> (bounded by the
/// server's request size limit) and each element of <c>events</c> is validated on its own by
/// <see cref="EventValidator"/>, so one malformed element is refused with its reason and the others are kept. Valid
/// events are made durable in the <see cref="IEventStore"/> before the response and then applied to the online stores
/// (positive events to history and popularity, dislikes to the <see cref="IUserDislikeStore"/>) so the next request
/// sees them. A batch with invalid events answers 400 problem details with
/// <c>accepted</c> (stored) and <c>rejected</c> (index, field, reason); a body that is not JSON, or not an object with
/// an <c>events</c> array, answers 400 saying so.
/// </summary>
internal static class EventEndpoints
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32 };

    public static IEndpointRouteBuilder MapEventEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/events", IngestAsync)
            .WithName("PostEvents")
            .WithTags(ApiTags.Events)
            .WithSummary("Ingest a batch of interaction events.")
            .WithDescription(
                "Each event is validated on its own; valid events are stored durably before the answer and applied to the " +
                "online stores. 200 when every event was stored; 400 problem details with 'accepted' and 'rejected' (index, " +
                "field, reason) when some were refused, or when the body is not a JSON object with an 'events' array or the " +
                "batch is too large; 415 when the body is not application/json.")
            .AddOpenApiOperationTransformer(DescribeRequestBodyAsync)
            .Produces<EventBatchResultDto>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return app;
    }

    /// <summary>
    /// Declares the body as an <see cref="EventBatchDto"/>. Not with <c>Accepts&lt;T&gt;</c>: its metadata makes routing
    /// refuse another content type with an empty 415 before the handler, which answers it with problem details.
    /// </summary>
    private static async Task DescribeRequestBodyAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var document = context.Document ?? throw new InvalidOperationException("The operation transformer runs without its document.");
        var schema = await context.GetOrCreateSchemaAsync(typeof(EventBatchDto), null, cancellationToken).ConfigureAwait(false);
        var eventSchema = await context.GetOrCreateSchemaAsync(typeof(EventDto), null, cancellationToken).ConfigureAwait(false);
        document.AddComponent(nameof(EventDto), eventSchema);
        if (schema.Properties is { } properties && properties.TryGetValue("events", out var property) && property is OpenApiSchema events)
        {
            events.Items = new OpenApiSchemaReference(nameof(EventDto), document); // named, like every other schema
        }

        document.AddComponent(nameof(EventBatchDto), schema);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "A JSON object with an 'events' array.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = new OpenApiSchemaReference(nameof(EventBatchDto), document) },
            },
        };
    }

    private static async Task<IResult> IngestAsync(
        HttpContext http,
        IEventStore events,
        IUserHistoryStore history,
        IUserDislikeStore dislikes,
        IItemPopularityStore popularity,
        IOptionsMonitor<ServiceOptions> options,
        ExposureLog exposures,
        ServiceMetrics metrics,
        TimeProvider time,
        Catalog.IItemCatalog catalog,
        CancellationToken cancellationToken)
    {
        var limits = options.CurrentValue;
        if (!http.Request.HasJsonContentType())
        {
            return Problems.BadInput("Content-Type", http.Request.ContentType ?? "", "is not application/json", StatusCodes.Status415UnsupportedMediaType);
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(http.Request.Body, DocumentOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            return Problems.BadInput("body", null, $"is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !TryGetEvents(root, out var batch))
            {
                return Problems.BadInput("events", null, "is missing: the body must be a JSON object with an 'events' array",
                    detail: $"The body must be a JSON object with an 'events' array (got {root.ValueKind}).");
            }

            var count = batch.GetArrayLength();
            if (count > limits.MaxEventBatch)
            {
                metrics.EventsRejected(count);
                return Problems.BadInput("events", null, $"has {count} events; at most {limits.MaxEventBatch} are allowed",
                    detail: $"Batch of {count} events exceeds the limit of {limits.MaxEventBatch}.");
            }

            var validator = new EventValidator(time.GetUtcNow(), TimeSpan.FromSeconds(limits.MaxEventClockSkewSeconds));
            var accepted = new List<EventRecord>(count);
            var rejected = new List<RejectedEventDto>();
            var index = 0;
            foreach (var element in batch.EnumerateArray())
            {
                if (validator.TryValidate(element, out var record, out var rejection))
                {
                    accepted.Add(record);
                }
                else
                {
                    rejected.Add(new RejectedEventDto(index, rejection.Field, rejection.Reason));
                }

                index++;
            }

            await StoreAsync(accepted, events, history, popularity, exposures, metrics, catalog, dislikes, cancellationToken).ConfigureAwait(false);
            metrics.EventsRejected(rejected.Count);
            if (rejected.Count == 0)
            {
                return TypedResults.Ok(new EventBatchResultDto(accepted.Count, rejected));
            }

            return TypedResults.Problem(
                $"{rejected.Count} of {count} events were rejected; {accepted.Count} were stored. The first: event {rejected[0].Index}: {rejected[0].Reason}",
                statusCode: StatusCodes.Status400BadRequest,
                title: "Some events were rejected",
                extensions: new Dictionary<string, object?> { ["accepted"] = accepted.Count, ["rejected"] = rejected });
        }
    }

    /// <summary>The value as sent (0.8, not 0.800000011920929): the shortest decimal that round-trips the stored float.</summary>
    private static double AsSent(float value) =>
        double.Parse(value.ToString(System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);

    private static bool TryGetEvents(JsonElement root, out JsonElement events)
    {
        events = default;
        foreach (var property in root.EnumerateObject())
        {
            if (string.Equals(property.Name, "events", StringComparison.OrdinalIgnoreCase))
            {
                events = property.Value;
            }
        }

        return events.ValueKind == JsonValueKind.Array;
    }

    private static async Task StoreAsync(
        List<EventRecord> accepted, IEventStore events, IUserHistoryStore history, IItemPopularityStore popularity,
        ExposureLog exposures, ServiceMetrics metrics, Catalog.IItemCatalog catalog, IUserDislikeStore dislikes, CancellationToken cancellationToken)
    {
        if (accepted.Count == 0)
        {
            return;
        }

        await events.AppendAsync(accepted, cancellationToken).ConfigureAwait(false);
        foreach (var record in accepted)
        {
            metrics.EventAccepted(record.Event.Type.ToName());
            await catalog.ObserveAsync(record.Event.ItemId, DateTimeOffset.FromUnixTimeSeconds(record.Event.Timestamp), cancellationToken).ConfigureAwait(false); // first-seen time of new items
            if (record.Event.IsPositive)
            {
                if (record.RequestId is not null)
                {
                    var e = record.Event;
                    exposures.Engaged(record.RequestId, e.UserId, e.ItemId, e.Type, e.Type.TakesValue() ? AsSent(e.Weight) : null, DateTimeOffset.FromUnixTimeSeconds(e.Timestamp));
                }

                await history.AppendAsync(record.Event, cancellationToken).ConfigureAwait(false);
                await popularity.IncrementAsync(record.Event.ItemId, 1, cancellationToken).ConfigureAwait(false);
            }
            else if (record.Event.Type == InteractionType.Dislike)
            {
                await dislikes.AppendAsync(record.Event, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
