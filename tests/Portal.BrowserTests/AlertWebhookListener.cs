using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace ModelWatch.Portal.BrowserTests;

/// <summary>A real HTTP receiver on a free loopback port that keeps every JSON body POSTed to it, as an Alertmanager webhook receiver would get it.</summary>
public sealed class AlertWebhookListener : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public AlertWebhookListener()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = $"http://127.0.0.1:{port}/hook/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public ConcurrentQueue<JsonElement> Bodies { get; } = new();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            try
            {
                using var document = await JsonDocument.ParseAsync(context.Request.InputStream);
                Bodies.Enqueue(document.RootElement.Clone());
                context.Response.StatusCode = 200;
            }
            catch (JsonException)
            {
                context.Response.StatusCode = 400;
            }
            context.Response.Close();
        }
    }

    /// <summary>Waits for a body that satisfies the condition, with a deadline.</summary>
    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            foreach (var body in Bodies)
                if (condition(body)) return body;
            await Task.Delay(200);
        }
        throw new TimeoutException($"No matching webhook body within {timeout.TotalSeconds} s; received {Bodies.Count}: {string.Join("\n", Bodies.Select(b => b.GetRawText()))}");
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
