using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace ModelWatch.LoadGenerator;

/// <summary>The built portal started as a child process on a free loopback port, with a throw-away database.</summary>
public sealed class PortalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private PortalProcess(Process process, string folder, Uri url, string apiKey)
    {
        _process = process;
        _folder = folder;
        Url = url;
        ApiKey = apiKey;
    }

    public Uri Url { get; }
    public string ApiKey { get; }
    public int Pid => _process.Id;

    /// <param name="environment">Settings that override the defaults below (other benchmarks turn the demo on, for instance).</param>
    public static async Task<PortalProcess> StartAsync(string dll, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null)
    {
        if (!File.Exists(dll)) throw new FileNotFoundException($"The portal is not built at {dll}; run 'dotnet build -c Release' first or pass --portal-dll.", dll);
        var folder = Directory.CreateTempSubdirectory("modelwatch-loadgen-").FullName;
        var url = new Uri($"http://127.0.0.1:{FreePort()}");
        var apiKey = "lg-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "--urls", url.ToString().TrimEnd('/') },
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(dll))!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ConnectionStrings__Portal"] = $"Data Source={Path.Combine(folder, "portal.db")}";
        start.Environment["Portal__Demo__Enabled"] = "false";
        start.Environment["Portal__Bootstrap__AdminApiKey"] = apiKey;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        var log = new StreamWriter(Path.Combine(folder, "portal.log")) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var portal = new PortalProcess(process, folder, url, apiKey);
        try
        {
            await portal.WaitHealthyAsync(TimeSpan.FromSeconds(60), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            string tail;
            lock (log) tail = string.Join(Environment.NewLine, File.ReadLines(Path.Combine(folder, "portal.log")).TakeLast(20));
            await portal.DisposeAsync();
            throw new InvalidOperationException(e.Message + Environment.NewLine + "Last lines of the portal's output:" + Environment.NewLine + tail, e);
        }
        return portal;
    }

    public string LogTail(int lines = 20)
    {
        try { return string.Join(Environment.NewLine, File.ReadLines(Path.Combine(_folder, "portal.log")).TakeLast(lines)); }
        catch (IOException) { return "(no log)"; }
    }

    public bool HasExited => _process.HasExited;

    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    private async Task WaitHealthyAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < limit)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The portal exited with code {_process.ExitCode}; see {Path.Combine(_folder, "portal.log")}.");
            try
            {
                using var response = await http.GetAsync("/healthz", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { /* not listening yet */ }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested) { /* slow start */ }
            await Task.Delay(200, cancellationToken);
        }
        throw new TimeoutException($"GET /healthz did not answer 200 within {limit.TotalSeconds:0} s.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { /* a temp folder left behind is harmless */ }
    }
}
