using System.Globalization;

namespace AcpToApi.Bench;

/// <summary>Command line of the harness; every count and duration is bounded.</summary>
internal sealed class BenchOptions
{
    public string Root { get; private set; } = Directory.GetCurrentDirectory();

    public bool Quick { get; private set; }

    public int Repeats { get; private set; } = 3;

    public int Requests { get; private set; } = 5000;

    public int TtftStreams { get; private set; } = 2000;

    public int PacedStreams { get; private set; } = 32;

    public int PacedConcurrency { get; private set; } = 8;

    public int ThroughputSeconds { get; private set; } = 10;

    public int Concurrency { get; private set; } = 32;

    public int[] StreamLevels { get; private set; } = [100, 250, 500, 750, 1000];

    public int SoakSeconds { get; private set; } = 300;

    public int WarmupSeconds { get; private set; } = 20;

    public int WarmupSequential { get; private set; } = 1000;

    /// <summary>Measured rounds per agent backend (item 6), after its warm-up rounds.</summary>
    public int AgentRuns { get; private set; } = 20;

    /// <summary>CPUs for the servers (fake, gateway, peer) via taskset, or null for no pinning.</summary>
    public string? ServerCpus { get; private set; } = "1";

    /// <summary>What the harness was pinned to by its caller (for the report only).</summary>
    public string? ClientCpus { get; private set; } = "0";

    public bool SkipPeer { get; private set; }

    /// <summary>Leave out the Native AOT column (artifacts/native/linux-x64/acptoapi, built by run.sh with ./build-native.sh).</summary>
    public bool SkipAot { get; private set; }

    /// <summary>Fresh processes per gateway build for the start-up measurements (exec to first /health 200, the first second's throughput).</summary>
    public int StartupRuns { get; private set; } = 5;

    /// <summary>How long after the top stream level the RSS is read again ("back near idle a minute after").</summary>
    public int AfterStreamsSeconds { get; private set; } = 60;

    public string? Output { get; private set; }

    public bool UpdateReadme { get; private set; } = true;

    /// <summary>Extra environment for the acptoapi process only (experiments such as DOTNET_GCgen0size); listed in the report.</summary>
    public Dictionary<string, string> GatewayEnvironment { get; } = [];

    /// <summary>Measurements to run (startup, latency, ttft, paced, throughput, streams, soak, agents); empty: all.</summary>
    public HashSet<string> Only { get; } = new(StringComparer.OrdinalIgnoreCase);

    public bool Runs(string phase) => Only.Count == 0 || Only.Contains(phase);

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int NextInt(int max) => int.Parse(Next(), NumberStyles.None, CultureInfo.InvariantCulture) is var v && v >= 1 && v <= max
                ? v
                : throw new ArgumentException($"{args[i - 1]} must be 1..{max}");
            switch (args[i])
            {
                case "--root": options.Root = Path.GetFullPath(Next()); break;
                case "--quick": options.ApplyQuick(); break;
                case "--repeats": options.Repeats = NextInt(20); break;
                case "--requests": options.Requests = NextInt(100_000); break;
                case "--soak-seconds": options.SoakSeconds = NextInt(24 * 3600); break;
                case "--warmup-seconds": options.WarmupSeconds = NextInt(600); break;
                case "--throughput-seconds": options.ThroughputSeconds = NextInt(600); break;
                case "--agent-runs": options.AgentRuns = NextInt(200); break;
                case "--server-cpus": options.ServerCpus = Next() is "none" or "" ? null : args[i]; break;
                case "--client-cpus": options.ClientCpus = Next() is "none" or "" ? null : args[i]; break;
                case "--skip-peer": options.SkipPeer = true; break;
                case "--skip-aot": options.SkipAot = true; break;
                case "--startup-runs": options.StartupRuns = NextInt(100); break;
                case "--after-streams-seconds": options.AfterStreamsSeconds = NextInt(3600); break;
                case "--output": options.Output = Next(); break;
                case "--no-readme": options.UpdateReadme = false; break;
                case "--readme": options.UpdateReadme = true; break;
                case "--gateway-env":
                    var pair = Next().Split('=', 2);
                    options.GatewayEnvironment[pair[0]] = pair.Length == 2 ? pair[1] : throw new ArgumentException("--gateway-env NAME=VALUE");
                    options.UpdateReadme = false;
                    break;
                case "--only":
                    options.Only.UnionWith(Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    options.UpdateReadme = false;
                    break;
                case "--stream-levels":
                    options.StreamLevels = [.. Next().Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).Where(v => v is >= 1 and <= 1000).Order()];
                    options.StreamLevels = options.StreamLevels.Length > 0 ? options.StreamLevels : throw new ArgumentException("--stream-levels: 1..1000");
                    break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }

        return options;
    }

    /// <summary>Smoke run: every measurement, small counts, a short soak, results in a -quick file, README untouched.</summary>
    private void ApplyQuick()
    {
        Quick = true;
        Repeats = 1;
        Requests = 500;
        TtftStreams = 200;
        PacedStreams = 8;
        ThroughputSeconds = 3;
        StreamLevels = [50, 100];
        SoakSeconds = 20;
        WarmupSeconds = 4;
        WarmupSequential = 200;
        AgentRuns = 5;
        StartupRuns = 2;
        AfterStreamsSeconds = 5;
        UpdateReadme = false;
    }
}
