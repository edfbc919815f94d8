using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RecFramework.Samples.Tests;

/// <summary>A built consumer app started on a free loopback port, with an HTTP client for it.</summary>
internal sealed class LoopbackService : IDisposable
{
    private readonly ChildProcess _process;

    private LoopbackService(ChildProcess process, HttpClient http)
    {
        _process = process;
        Http = http;
    }

    /// <summary>Client whose base address is the service.</summary>
    public HttpClient Http { get; }

    /// <summary>What the service printed so far.</summary>
    public string Output => _process.Output;

    /// <summary>Starts <paramref name="dll"/> with <paramref name="contentRoot"/> as working directory.</summary>
    public static LoopbackService Start(string contentRoot, string dll)
    {
        var port = FreeLoopbackPort();
        var process = ChildProcess.StartDotnet(contentRoot, new Dictionary<string, string>
        {
            ["OPENBLAS_NUM_THREADS"] = "1",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        }, dll, "--urls", $"http://127.0.0.1:{port}");
        return new LoopbackService(process, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) });
    }

    /// <summary>Polls <paramref name="path"/> until it answers 200; fails with the service's output when it exits or times out.</summary>
    public async Task WaitForOkAsync(string path, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            Assert.False(_process.HasExited, $"the service exited before {path} answered:\n{Output}");
            try
            {
                using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(500);
        }

        Assert.Fail($"{path} did not answer 200 within {timeout.TotalSeconds:F0} s:\n{Output}");
    }

    public void Dispose()
    {
        Http.Dispose();
        _process.Dispose();
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
