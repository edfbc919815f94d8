using FollowedAuthors;
using Microsoft.Extensions.Options;
using RecFramework.Channels.ItemCF;
using RecFramework.Channels.TwoTower;
using RecFramework.Data;
using RecFramework.AspNetCore;
using RecFramework.DependencyInjection;
using RecFramework.Experiments;
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
    .AddRecFrameworkService()                            // the HTTP API (package RecFramework.AspNetCore)
    .AddChannel<FollowedAuthorsChannel>(FollowedAuthorsChannel.ChannelName) // 2. our own channel
    // 3. Start-up from the framework's lifecycle: seed the online stores from the data, then give every channel a
    //    model (the latest published version, or one built now from the data). Progress is logged per channel.
    .UseStartupData(sp => sp.GetRequiredService<InteractionDataset>());

builder.Services.AddOptions<FollowedAuthorsOptions>().BindConfiguration(FollowedAuthorsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<SampleDataOptions>().BindConfiguration(SampleDataOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton(sp =>
{
    var options = sp.GetRequiredService<IOptions<FollowedAuthorsOptions>>().Value;
    return AuthorCatalog.Load(options.AuthorsPath, options.FollowsPath);
});

// Demo data: a synthetic log plus the author tables (a real service reads its own).
builder.Services.AddSingleton(sp => SampleData.Prepare(
    sp.GetRequiredService<IOptions<SampleDataOptions>>().Value,
    sp.GetRequiredService<IOptions<FollowedAuthorsOptions>>().Value,
    TimeProvider.System.GetUtcNow()));

var app = builder.Build();

// 4. Endpoints from the ASP.NET Core package: /recommend (per-item channel attribution and the assignment behind it),
//    /events, /experiments, /experiments/assignment/{userId}, /health, /ready, /metrics; exposures are logged.
app.MapRecFramework();

app.Run();
