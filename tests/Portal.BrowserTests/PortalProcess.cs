using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ModelWatch.Portal.BrowserTests;

/// <summary>
/// The built Portal (ModelWatch.Portal.dll) started as a real process on a free loopback port, with a temp database
/// and the demo simulator on. Its output goes to portal.log beside the screenshots. Dispose kills it and deletes the database.
/// </summary>
public sealed class PortalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly string _databaseDirectory;

    private PortalProcess(Process process, Uri baseUrl, string databaseDirectory, string adminApiKey)
    {
        AdminApiKey = adminApiKey;
        _process = process;
        BaseUrl = baseUrl;
        _databaseDirectory = databaseDirectory;
    }

    public Uri BaseUrl { get; }

    /// <summary>A random bootstrap admin API key, so tests can put their own data in through the public API.</summary>
    public string AdminApiKey { get; }

    public string Log { get { lock (_log) return _log.ToString(); } }

    /// <param name="environment">Extra settings for this portal (e.g. a faster alert evaluation), as environment variables.</param>
    public static async Task<PortalProcess> StartAsync(string outputDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var dll = FindPortalDll();
        var port = FreePort();
        var databaseDirectory = Path.Combine(Path.GetTempPath(), "modelwatch-browser-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(databaseDirectory);
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        // Production, as `dotnet run --project src/Portal` starts it: the static web assets must be served there too.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Portal"] = $"Data Source={Path.Combine(databaseDirectory, "portal.db")}";
        var adminApiKey = "mw_browser_" + Guid.NewGuid().ToString("N");
        start.Environment["Portal__Bootstrap__AdminApiKey"] = adminApiKey;
        start.Environment["Portal__Demo__Enabled"] = "true";
        start.Environment["Portal__Demo__Password"] = PortalFixture.DemoPassword;
        start.Environment["Portal__Demo__EventsPerSecond"] = "60";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // All browser sign-ins come from loopback; the per-address limit is proven in Portal.Tests.
        start.Environment["Portal__Security__SignInAttemptsPerAddress"] = "100000";
        // Labels within seconds instead of minutes, so performance panels have something to show during the run.
        start.Environment["Portal__Demo__LabelDelayMin"] = "00:00:02";
        start.Environment["Portal__Demo__LabelDelayMax"] = "00:00:10";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {dotnet} {dll}.");
        var portal = new PortalProcess(process, new Uri($"http://127.0.0.1:{port}"), databaseDirectory, adminApiKey);
        process.OutputDataReceived += (_, e) => portal.Append(e.Data);
        process.ErrorDataReceived += (_, e) => portal.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await portal.WaitUntilHealthyAsync(TimeSpan.FromSeconds(90));
        }
        catch
        {
            Directory.CreateDirectory(outputDirectory);
            await File.WriteAllTextAsync(Path.Combine(outputDirectory, "portal.log"), portal.Log);
            await portal.DisposeAsync();
            throw;
        }
        return portal;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    private async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The portal exited with code {_process.ExitCode}:\n{Log}");
            try
            {
                if ((await http.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The portal did not answer /healthz with 200 within {timeout.TotalSeconds} s:\n{Log}");
    }

    /// <summary>The Portal build output of the same configuration as these tests (Debug or Release).</summary>
    private static string FindPortalDll()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Portal.sln"))) directory = directory.Parent;
        if (directory is null) throw new InvalidOperationException("Portal.sln not found above " + AppContext.BaseDirectory);
        var dll = Path.Combine(directory.FullName, "src", "Portal", "bin", configuration, "net10.0", "ModelWatch.Portal.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build the portal first (dotnet build Portal.sln): {dll} is missing.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException) { }
        catch (TimeoutException) { }
        _process.Dispose();
        try { Directory.Delete(_databaseDirectory, recursive: true); } catch (IOException) { }
    }
}
