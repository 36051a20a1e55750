using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using ModelWatch.Portal.Tests.Governance;

namespace ModelWatch.Portal.Tests.Security;

/// <summary>
/// Issue 10's container findings, without a Docker engine: the Dockerfile's build stage is replayed in a temp folder
/// and the published portal is started with the runtime stage's ENV, ENTRYPOINT and HEALTHCHECK.
/// </summary>
[Collection(ContainerBuildCollection.Name)]
public sealed partial class ContainerBuildTests : IDisposable
{
    private const string AdminPassword = "container-admin-password-1";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "modelwatch-container-tests", Guid.NewGuid().ToString("N"));
    private readonly DockerfileReplay _dockerfile;

    public ContainerBuildTests() => _dockerfile = new DockerfileReplay(Repository(), _root);

    [Fact]
    public void The_image_runs_as_a_numeric_user_and_the_build_context_leaves_out_build_output_databases_and_history()
    {
        var user = _dockerfile.Runtime.Single(i => i.Op == "USER").Args;
        Assert.Matches("^[0-9]+(:[0-9]+)?$", user);
        Assert.NotEmpty(_dockerfile.ExecForm("HEALTHCHECK"));
        foreach (var path in new[] { "src/Portal/bin/Release/x.dll", "src/Engine/obj/project.assets.json", "portal.db", "src/Portal/data/portal.db-wal", ".git/HEAD", "tests/Portal.Tests/x.cs" })
            Assert.True(_dockerfile.IsIgnored(path), $"{path} would be sent to the Docker build");
        Assert.False(_dockerfile.IsIgnored("src/Portal/Components/App.razor"));
    }

    [Fact]
    public async Task The_published_image_serves_blazor_web_js_a_signed_in_page_and_its_health_check_and_keeps_cookies_across_a_restart()
    {
        // A bound, not a speed check: restore + publish took over 4 min on this 2-core box while other builds ran.
        await _dockerfile.RunBuildStageAsync(TimeSpan.FromMinutes(8));
        var app = _dockerfile.Map(_dockerfile.Runtime.Single(i => i.Op == "WORKDIR").Args);
        Assert.True(File.Exists(Path.Combine(app, "ModelWatch.Portal.dll")), "publish wrote no ModelWatch.Portal.dll to " + app);
        var environment = _dockerfile.RuntimeEnvironment();
        Directory.CreateDirectory(_dockerfile.Map("/data")); // the volume; the runtime stage's RUN mkdir is not replayed
        environment["Portal__Bootstrap__AdminPassword"] = AdminPassword;

        var cookies = new CookieContainer();
        await using (var portal = await StartAsync(app, environment))
        {
            using var http = Client(portal.BaseUrl, cookies);
            var script = await http.GetAsync("/_framework/blazor.web.js");
            Assert.Equal(HttpStatusCode.OK, script.StatusCode);
            Assert.True((await script.Content.ReadAsByteArrayAsync()).Length > 10_000, "blazor.web.js is suspiciously small");
            // Real Kestrel (the test server never sends one): no Server header names the stack.
            Assert.False(script.Headers.Contains("Server"), $"Server: {string.Join(", ", script.Headers.TryGetValues("Server", out var server) ? server : [])}");

            // The image's demo is off: its published users do not exist.
            Assert.Contains("/signin", (await SignInAsync(http, "dana", "wrong")).Headers.Location?.ToString(), StringComparison.Ordinal);
            Assert.Equal("/", (await SignInAsync(http, "admin", AdminPassword)).Headers.Location?.ToString());
            var home = await http.GetAsync("/");
            Assert.Equal(HttpStatusCode.OK, home.StatusCode);
            Assert.Contains("_framework/blazor.web.js", await home.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            var healthy = await RunHealthCheckAsync(app, environment, portal.Port);
            Assert.True(healthy.Code == 0, "HEALTHCHECK failed against a running portal: " + healthy.Output);
        }

        // A new container on the same /data volume: the sign-in cookie still opens the page (Data Protection keys persisted).
        await using (var restarted = await StartAsync(app, environment))
        {
            using var http = Client(restarted.BaseUrl, cookies);
            var home = await http.GetAsync("/");
            Assert.True(home.StatusCode == HttpStatusCode.OK, $"after a restart the cookie no longer signs in: {(int)home.StatusCode} {home.Headers.Location}");
        }
        Assert.NotEmpty(Directory.GetFiles(_dockerfile.Map("/data/keys"), "key-*.xml"));

        var stopped = await RunHealthCheckAsync(app, environment, FreePort());
        Assert.True(stopped.Code != 0, "HEALTHCHECK reported healthy with no portal listening");
    }

    private Task<(int Code, string Output)> RunHealthCheckAsync(string app, Dictionary<string, string> environment, int port)
    {
        var argv = _dockerfile.ExecForm("HEALTHCHECK");
        var env = new Dictionary<string, string>(environment) { ["ASPNETCORE_HTTP_PORTS"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        return DockerfileReplay.ExecuteAsync(argv[0], argv[1..], app, env, TimeSpan.FromSeconds(60));
    }

    private static HttpClient Client(Uri baseUrl, CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient http, string username, string password)
    {
        var page = await (await http.GetAsync("/signin")).Content.ReadAsStringAsync();
        var token = Token().Match(page).Groups[1].Value;
        var response = await http.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = username, ["password"] = password, ["returnUrl"] = "/", ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response;
    }

    private async Task<RunningPortal> StartAsync(string app, Dictionary<string, string> environment)
    {
        var port = FreePort();
        var argv = _dockerfile.ExecForm("ENTRYPOINT");
        var start = new ProcessStartInfo(argv[0]) { WorkingDirectory = app, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in argv[1..]) start.ArgumentList.Add(a);
        DockerfileReplay.CleanEnvironment(start);
        foreach (var (k, v) in environment) start.Environment[k] = v;
        start.Environment["ASPNETCORE_HTTP_PORTS"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var portal = new RunningPortal(Process.Start(start)!, port);
        await portal.WaitUntilLiveAsync(TimeSpan.FromSeconds(60));
        return portal;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Repository()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Dockerfile"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("No Dockerfile above " + AppContext.BaseDirectory);
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { /* a file still closing; the temp folder is cleaned eventually */ }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex Token();

    private sealed class RunningPortal : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _log = new();

        public RunningPortal(Process process, int port)
        {
            _process = process;
            Port = port;
            BaseUrl = new Uri($"http://127.0.0.1:{port}");
            process.OutputDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public int Port { get; }
        public Uri BaseUrl { get; }

        public async Task WaitUntilLiveAsync(TimeSpan timeout)
        {
            using var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(5) };
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                if (_process.HasExited) throw new InvalidOperationException($"The published portal exited with {_process.ExitCode}:\n{Log()}");
                try
                {
                    if ((await http.GetAsync("/healthz/live")).IsSuccessStatusCode) return;
                }
                catch (HttpRequestException) { }
                catch (TaskCanceledException) { }
                await Task.Delay(200);
            }
            throw new TimeoutException($"The published portal did not answer /healthz/live within {timeout}:\n{Log()}");
        }

        private string Log() { lock (_log) return _log.ToString(); }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            _process.Dispose();
        }
    }
}

/// <summary>
/// The restore and publish take both cores for most of a minute; run alone so timing-sensitive tests elsewhere in the
/// assembly are not starved while they run.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ContainerBuildCollection
{
    public const string Name = "container build";
}
