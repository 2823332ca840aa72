using System.Globalization;
using System.Text.RegularExpressions;
using AcpToApi.Bench;

// The benchmark of issue 7. Normally started by bench/run.sh, which builds, installs the peer and pins this process.
if (args.Length > 0 && args[0] == "fuzz")
{
    try
    {
        return await FuzzCommand.RunAsync(args);
    }
    catch (Exception ex) when (ex is ArgumentException or FormatException)
    {
        await Console.Error.WriteLineAsync($"acptoapi-bench fuzz: {ex.Message}");
        return 2;
    }
}

if (args.Length > 0 && args[0] == "load")
{
    try
    {
        return await LoadCommand.RunAsync(args);
    }
    catch (Exception ex) when (ex is ArgumentException or FormatException)
    {
        await Console.Error.WriteLineAsync($"acptoapi-bench load: {ex.Message}");
        return 2;
    }
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    await Console.Error.WriteLineAsync($"acptoapi-bench: {ex.Message}");
    await Console.Error.WriteLineAsync("usage: acptoapi-bench --root <repo> [--quick] [--soak-seconds N] [--repeats N] [--requests N] [--throughput-seconds N] [--server-cpus 1|none] [--client-cpus 0|none] [--skip-peer] [--output file.md] [--no-readme]");
    return 2;
}

var root = options.Root;
var bench = Path.Combine(root, "bench");
var resultsDir = Path.Combine(bench, "results");
var logs = Path.Combine(resultsDir, "logs");
Directory.CreateDirectory(logs);
var fakeDll = Path.Combine(root, "tests/AcpToApi.FakeLlm/bin/Release/net10.0/AcpToApi.FakeLlm.dll");
var gatewayDll = Path.Combine(root, "src/AcpToApi/bin/Release/net10.0/acptoapi.dll");
var aotBinary = Path.Combine(root, "artifacts/native/linux-x64/acptoapi");
var peerScript = Path.Combine(bench, "node_modules/@portkey-ai/gateway/build/start-server.js");
var started = DateTime.UtcNow;
var loadAtStart = LoadAverage();
Phases.Log($"load average at start: {loadAtStart}");

var servers = new List<ServerProcess>();
var fakePort = ServerProcess.FreePort();
var upstream = $"http://127.0.0.1:{fakePort}/v1";
using var client = new LoadClient();
try
{
    var fakeServer = await ServerProcess.StartAsync("fake", fakePort, options.ServerCpus, root, Path.Combine(logs, "fake.log"),
        new Dictionary<string, string>(), "dotnet", fakeDll, "--port", fakePort.ToString(CultureInfo.InvariantCulture), "--no-record");
    servers.Add(fakeServer);
    var gatewayEnvironment = new Dictionary<string, string>(options.GatewayEnvironment) { ["OPENAI_BASE_URL"] = upstream, ["OPENAI_API_KEY"] = "x" };
    // The two builds of the same gateway: the JIT build (dotnet acptoapi.dll) and the Native AOT executable.
    var builds = new List<(string Name, string Title, Func<int, string[]> Command)>
    {
        ("acptoapi", "acptoapi", port => ["dotnet", gatewayDll, "--port", port.ToString(CultureInfo.InvariantCulture), "--log-level", "Warning"]),
    };
    if (!options.SkipAot)
    {
        builds.Add(("aot", "acptoapi AOT", port => [aotBinary, "--port", port.ToString(CultureInfo.InvariantCulture), "--log-level", "Warning"]));
    }
    List<Target> targets = [new("direct", "direct (fake)", new Uri(upstream + "/chat/completions"), "fake-model", [], fakeServer)];
    foreach (var (name, title, command) in builds)
    {
        var port = ServerProcess.FreePort();
        var gateway = await ServerProcess.StartAsync(name, port, options.ServerCpus, root, Path.Combine(logs, name + ".log"), gatewayEnvironment, command(port));
        servers.Add(gateway);
        targets.Add(new(name, title, new Uri($"http://127.0.0.1:{port}/v1/chat/completions"), "openai/fake-model", [], gateway));
    }
    if (!options.SkipPeer)
    {
        var peerPort = ServerProcess.FreePort();
        var peer = await ServerProcess.StartAsync("portkey", peerPort, options.ServerCpus, bench, Path.Combine(logs, "portkey.log"),
            new Dictionary<string, string> { ["NODE_ENV"] = "production" },
            "node", "--import", Path.Combine(bench, "loopback-only.mjs"), peerScript, $"--port={peerPort}", "--headless");
        servers.Add(peer);
        targets.Add(new("portkey", "portkey 1.15.2", new Uri($"http://127.0.0.1:{peerPort}/v1/chat/completions"), "fake-model",
            [new("x-portkey-config", $$"""{"provider":"openai","custom_host":"{{upstream}}","api_key":"x"}""")], peer));
    }

    var results = new Results();
    var phases = new Phases(options, client, targets, fakeServer, results);
    var report = new Report(options, targets, results) { Started = started, LoadAtStart = loadAtStart };
    var peakLoad = 0.0;
    using var loadSampling = new CancellationTokenSource();
    var loadSampler = Task.Run(async () =>
    {
        while (!loadSampling.IsCancellationRequested)
        {
            peakLoad = Math.Max(peakLoad, double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture));
            await Task.Delay(1000, CancellationToken.None);
        }
    });

    await Task.Delay(2000);
    phases.SampleRss("rss.fresh");
    Phases.Log("check");
    await phases.CheckAsync();
    if (options.Runs("startup"))
    {
        Phases.Log("0. start-up: exec to first /health 200, the first second's throughput at c=32 (fresh processes, no warm-up)");
        await phases.WarmClientAsync();
        await new StartupPhase(options, client, results, logs).RunAsync([.. builds.Select(b => (b.Name, b.Command, (IReadOnlyDictionary<string, string>)gatewayEnvironment))]);
    }

    Phases.Log("warm-up");
    await phases.WarmUpAsync();
    await Task.Delay(2000);
    phases.SampleRss("rss.warm");
    if (options.Runs("latency"))
    {
        Phases.Log("1. latency, non-streaming, c=1");
        await phases.LatencyAsync();
    }

    if (options.Runs("ttft"))
    {
        Phases.Log("2a. first content frame, streaming, c=1");
        await phases.FirstFrameAsync();
    }

    if (options.Runs("paced"))
    {
        Phases.Log("2b. paced streams: inter-frame gaps, frames out = frames in");
        await phases.PacedAsync();
    }

    if (options.Runs("throughput"))
    {
        Phases.Log("3. throughput, c=32");
        await phases.ThroughputAsync();
        if (options.ServerCpus is not null && options.ClientCpus is not null)
        {
            // The same with the upstream off the gateways' CPU, as a remote API would be: the fake joins the load client.
            Phases.Log($"3b. throughput, c=32, fake moved to CPU {options.ClientCpus}, gateways alone on CPU {options.ServerCpus}");
            await fakeServer.PinAsync(options.ClientCpus);
            await phases.ThroughputAsync("rps.split");
            await fakeServer.PinAsync(options.ServerCpus);
        }
    }

    if (options.Runs("streams"))
    {
        Phases.Log("4. concurrent paced streams (+ RSS at the top level)");
        await phases.ConcurrentStreamsAsync();
    }

    if (options.Runs("soak"))
    {
        Phases.Log($"5. soak, {options.SoakSeconds} s");
        await phases.SoakAsync();
    }

    if (options.Runs("agents"))
    {
        Phases.Log("6. agent backends: first delta -> first frame (real opencode, kilo and claude against the fake)");
        using var agents = new AgentPhase(options, results, root, logs, gatewayDll, new Uri($"http://127.0.0.1:{fakePort}/"));
        await agents.RunAsync();
        phases.Details.AddRange(agents.Details);
        if (File.Exists(AcpToApi.FakeLlm.AgentRecipe.BinaryPath(root, "claude")))
        {
            Phases.Log("6b. claude conversations: cold, warm, continued, replayed, tool results parked and fresh");
            var conversations = new ClaudeConversationPhase(options, root, new Uri($"http://127.0.0.1:{fakePort}/"), agents.StartGatewayAsync);
            try
            {
                await conversations.RunAsync();
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TimeoutException or InvalidOperationException or OperationCanceledException)
            {
                conversations.Details.Add("claude conversations: not measured: " + e.Message);
            }
            phases.Details.AddRange(conversations.Details);
        }
    }


    await loadSampling.CancelAsync();
    await loadSampler;
    report.Finished = DateTime.UtcNow;
    report.LoadAtEnd = LoadAverage();
    var peerLog = Path.Combine(logs, "portkey.log");
    if (File.Exists(peerLog))
    {
        var lines = File.ReadAllLines(peerLog);
        var first = Array.FindIndex(lines, l => l.Contains("error", StringComparison.OrdinalIgnoreCase));
        if (first >= 0)
        {
            report.ExtraDetails.Add($"portkey's log, first error ({lines.Count(l => l.Contains("error", StringComparison.OrdinalIgnoreCase))} lines mention an error): `{string.Join(" ", lines.Skip(first).Take(3).Select(l => l.Trim()))}`");
        }
    }

    report.LoadPeak = peakLoad.ToString("0.00", CultureInfo.InvariantCulture);
    report.ExtraDetails.AddRange(phases.Details);
    var document = report.Document();
    var output = options.Output ?? Path.Combine(resultsDir, $"{started:yyyy-MM-dd}{(options.Quick ? "-quick" : "")}.md");
    await File.WriteAllTextAsync(output, document);
    Console.WriteLine();
    Console.WriteLine(report.Table());
    Console.WriteLine(report.Goals());
    Phases.Log($"wrote {output}");
    if (options.UpdateReadme)
    {
        UpdateReadme(Path.Combine(bench, "README.md"), Path.GetFileName(output), report);
    }

    return 0;
}
finally
{
    foreach (var server in servers)
    {
        await server.DisposeAsync();
    }
}

static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

static void UpdateReadme(string path, string file, Report report)
{
    const string Begin = "<!-- latest-results:begin -->";
    const string End = "<!-- latest-results:end -->";
    var readme = File.ReadAllText(path);
    if (!readme.Contains(Begin, StringComparison.Ordinal) || !readme.Contains(End, StringComparison.Ordinal))
    {
        Phases.Log($"README has no {Begin} block; not updated");
        return;
    }

    var block = $"{Begin}\nFrom [`results/{file}`](results/{file}) (machine, load and per-repeat figures there):\n\n{report.Table()}\n{report.Goals()}{End}";
    readme = Regex.Replace(readme, Regex.Escape(Begin) + ".*?" + Regex.Escape(End), _ => block, RegexOptions.Singleline);
    File.WriteAllText(path, readme);
    Phases.Log($"updated {path}");
}
