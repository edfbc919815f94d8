using FollowedAuthors;
using Microsoft.Extensions.Options;
using RecFramework;
using RecFramework.Channels.ItemCF;
using RecFramework.Channels.TwoTower;
using RecFramework.DependencyInjection;
using RecFramework.Experiments;
using RecFramework.Pipeline;
using RecFramework.Vectors.Faiss;

var builder = WebApplication.CreateBuilder(args);

// 1. The framework, the built-in channels and experiments, all configured from appsettings.json.
builder.Services.AddRecFramework(builder.Configuration)  // pipeline, stores, artifacts, "popular"
    .AddItemCFChannel()                                  // "itemcf"
    .AddSwingChannel()                                   // "swing"
    .AddUserCFChannel()                                  // "usercf"
    .AddFaissVectorIndex()                               // Faiss for the two-tower item vectors
    .AddTwoTowerChannel()                                // "two-tower"
    .AddRecExperiments()                                 // the "RecFramework:Experiments" section
    .AddChannel<FollowedAuthorsChannel>(FollowedAuthorsChannel.ChannelName); // 2. our own channel

builder.Services.AddOptions<FollowedAuthorsOptions>().BindConfiguration(FollowedAuthorsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<SampleDataOptions>().BindConfiguration(SampleDataOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton(sp =>
{
    var options = sp.GetRequiredService<IOptions<FollowedAuthorsOptions>>().Value;
    return AuthorCatalog.Load(options.AuthorsPath, options.FollowsPath);
});

// 3. Demo data: a synthetic log plus the author tables (a real service reads its own).
builder.Services.AddSingleton(sp => SampleData.Prepare(
    sp.GetRequiredService<IOptions<SampleDataOptions>>().Value,
    sp.GetRequiredService<IOptions<FollowedAuthorsOptions>>().Value,
    TimeProvider.System.GetUtcNow()));
builder.Services.AddSingleton<ChannelStartup>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<ChannelStartup>());

var app = builder.Build();

// 4. Endpoints: the recommendation with per-item channel attribution, and the experiment assignment behind it.
app.MapGet("/recommend/{userId:long}", async (long userId, int? k, RecallPipeline pipeline, IExperimentRouter router, CancellationToken cancellationToken) =>
{
    var assignment = router.Assign(userId);
    try
    {
        var response = await pipeline.RecommendAsync(new RecommendRequest { UserId = userId, K = k }.WithAssignment(assignment), cancellationToken);
        return Results.Ok(RecommendationResponse.From(response, assignment));
    }
    catch (RecFrameworkException ex) when (ex.Error is RecError.InvalidArgument)
    {
        return Results.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest);
    }
});
app.MapGet("/experiments/assignment/{userId:long}", (long userId, IExperimentRouter router) =>
    Results.Ok(RecommendationResponse.AssignmentOf(router.Assign(userId))));
app.MapGet("/health", () => Results.Ok(new { status = "ok" }));
app.MapGet("/ready", (ChannelStartup startup) => startup.Ready
    ? Results.Ok(new { status = "ready" })
    : Results.Json(new { status = "starting" }, statusCode: StatusCodes.Status503ServiceUnavailable));

app.Run();
