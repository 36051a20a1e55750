using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ModelWatch.Portal.Tests.Security;

/// <summary>
/// Replays the repository's Dockerfile without a Docker engine: the build stage's WORKDIR, COPY (honouring
/// .dockerignore) and RUN lines run in a temp folder, with absolute container paths mapped below it; the runtime
/// stage's ENV, USER, HEALTHCHECK and ENTRYPOINT are read so a test can start the result the way the image would.
/// </summary>
public sealed partial class DockerfileReplay
{
    private readonly string _repository;
    private readonly List<Regex> _ignored;

    public DockerfileReplay(string repository, string root)
    {
        _repository = repository;
        Root = root;
        var ignore = Path.Combine(repository, ".dockerignore");
        _ignored = File.Exists(ignore)
            ? File.ReadAllLines(ignore).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(IgnorePattern).ToList()
            : [];
        var stages = Instructions(File.ReadAllText(Path.Combine(repository, "Dockerfile")))
            .Aggregate(new List<List<(string Op, string Args)>>(), (list, i) =>
            {
                if (i.Op == "FROM") list.Add([]);
                else if (list.Count > 0) list[^1].Add(i);
                return list;
            });
        Build = stages[0];
        Runtime = stages[^1];
    }

    /// <summary>Where "/" of the build container is mapped.</summary>
    public string Root { get; }

    public IReadOnlyList<(string Op, string Args)> Build { get; }
    public IReadOnlyList<(string Op, string Args)> Runtime { get; }

    /// <summary>A container path (/app, /data/portal.db) as a path below <see cref="Root"/>.</summary>
    public string Map(string containerPath) => Path.Combine(Root, containerPath.TrimStart('/'));

    /// <summary>Runs the build stage; returns the log of every RUN, and throws with it when one fails.</summary>
    public async Task<string> RunBuildStageAsync(TimeSpan timeout)
    {
        var log = new StringBuilder();
        var workdir = Root;
        foreach (var (op, args) in Build)
        {
            switch (op)
            {
                case "WORKDIR":
                    workdir = Map(args);
                    Directory.CreateDirectory(workdir);
                    break;
                case "COPY":
                    var parts = args.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    var destination = Path.GetFullPath(Path.Combine(workdir, parts[^1]));
                    foreach (var source in parts[..^1]) Copy(source.TrimEnd('/'), destination, parts.Length > 2 || parts[^1].EndsWith('/'));
                    break;
                case "RUN":
                    var command = AbsolutePath().Replace(args, m => m.Groups[1].Value + Map(m.Groups[2].Value));
                    log.AppendLine("$ " + command);
                    var (code, output) = await ExecuteAsync("bash", ["-c", command], workdir, new Dictionary<string, string>(), timeout);
                    log.AppendLine(output);
                    if (code != 0) throw new InvalidOperationException($"Dockerfile step failed ({code}): RUN {args}\n{log}");
                    break;
            }
        }
        return log.ToString();
    }

    /// <summary>The runtime stage's ENV, with container paths mapped below <see cref="Root"/>.</summary>
    public Dictionary<string, string> RuntimeEnvironment()
    {
        var environment = new Dictionary<string, string>();
        foreach (var (_, args) in Runtime.Where(i => i.Op == "ENV"))
            foreach (Match m in EnvPair().Matches(args))
            {
                var value = m.Groups[2].Success ? m.Groups[2].Value : m.Groups[3].Value;
                environment[m.Groups[1].Value] = ContainerPathInValue().Replace(value, p => Map(p.Value));
            }
        return environment;
    }

    /// <summary>An exec-form instruction's argv (ENTRYPOINT ["dotnet", "x.dll"], HEALTHCHECK ... CMD [...]).</summary>
    public string[] ExecForm(string op)
    {
        var args = Runtime.Single(i => i.Op == op).Args;
        return JsonSerializer.Deserialize<string[]>(args[args.IndexOf('[', StringComparison.Ordinal)..])!;
    }

    public static async Task<(int Code, string Output)> ExecuteAsync(string file, IEnumerable<string> arguments, string workdir, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = workdir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        CleanEnvironment(start);
        foreach (var (k, v) in environment) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish within {timeout}:\n{output}");
        }
        lock (output) return (process.ExitCode, output.ToString());
    }

    /// <summary>dotnet test runs us with MSBuild's and the test host's variables set; a build inside must not inherit them.</summary>
    public static void CleanEnvironment(ProcessStartInfo start)
    {
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) ||
                     k.StartsWith("_MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase) ||
                     k.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) || k.StartsWith("DOTNET_HOST", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
    }

    private void Copy(string source, string destination, bool intoDirectory)
    {
        var full = Path.Combine(_repository, source);
        if (File.Exists(full))
        {
            var target = intoDirectory ? Path.Combine(destination, Path.GetFileName(source)) : destination;
            if (IsIgnored(source)) return;
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(full, target, overwrite: true);
            return;
        }
        if (!Directory.Exists(full)) throw new FileNotFoundException($"COPY source {source} is not in the build context", full);
        // A directory source copies its contents, as Docker does, skipping what .dockerignore excludes.
        foreach (var file in Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(_repository, file).Replace('\\', '/');
            if (IsIgnored(relative)) continue;
            var target = Path.Combine(destination, Path.GetRelativePath(full, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    /// <summary>A path is excluded when it, or any folder above it, matches a .dockerignore pattern.</summary>
    public bool IsIgnored(string relativePath)
    {
        var segments = relativePath.Split('/');
        for (var i = 1; i <= segments.Length; i++)
        {
            var prefix = string.Join('/', segments[..i]);
            if (_ignored.Any(r => r.IsMatch(prefix))) return true;
        }
        return false;
    }

    private static Regex IgnorePattern(string pattern)
    {
        var p = pattern.TrimEnd('/');
        var regex = Regex.Escape(p).Replace(@"\*\*/", "(.*/)?", StringComparison.Ordinal).Replace(@"\*", "[^/]*", StringComparison.Ordinal);
        return new Regex($"^{regex}$", RegexOptions.CultureInvariant);
    }

    private static IEnumerable<(string Op, string Args)> Instructions(string dockerfile)
    {
        var joined = Regex.Replace(dockerfile, @"\\\r?\n\s*", " ");
        foreach (var line in joined.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            yield return space < 0 ? (line.ToUpperInvariant(), "") : (line[..space].ToUpperInvariant(), line[(space + 1)..].Trim());
        }
    }

    [GeneratedRegex(@"(^|\s)/(\w[^\s]*)")]
    private static partial Regex AbsolutePath();

    [GeneratedRegex("""(\w+)=(?:"([^"]*)"|(\S+))""")]
    private static partial Regex EnvPair();

    [GeneratedRegex(@"(?<![\w.])/(data|app)\b[^\s;""]*")]
    private static partial Regex ContainerPathInValue();
}
