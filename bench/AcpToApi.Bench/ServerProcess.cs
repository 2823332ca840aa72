using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace AcpToApi.Bench;

/// <summary>A server the harness starts (optionally pinned with taskset), logs to a file, and measures (RSS from /proc).</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;

    private ServerProcess(string name, int port, Process process, StreamWriter log)
    {
        Name = name;
        Port = port;
        this.process = process;
        this.log = log;
    }

    public string Name { get; }

    public int Port { get; }

    public int Pid => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>A free loopback port (bound, read, released: a small race that is harmless on a quiet loopback).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Starts <paramref name="command"/> with the harness's environment plus <paramref name="environment"/>.</summary>
    public static Task<ServerProcess> StartAsync(string name, int port, string? cpus, string workingDirectory, string logPath,
        IReadOnlyDictionary<string, string> environment, params string[] command) =>
        StartAsync(name, port, cpus, workingDirectory, logPath, environment, isolated: false, command);

    /// <summary>As above; when <paramref name="isolated"/>, the process sees <paramref name="environment"/> and nothing else.</summary>
    public static async Task<ServerProcess> StartAsync(string name, int port, string? cpus, string workingDirectory, string logPath,
        IReadOnlyDictionary<string, string> environment, bool isolated, params string[] command)
    {
        var server = Launch(name, port, cpus, workingDirectory, logPath, environment, isolated, command);
        await server.WaitListeningAsync(TimeSpan.FromSeconds(60));
        return server;
    }

    /// <summary>Starts the process and returns at once, without waiting for it to listen (the start-up measurement times that itself).</summary>
    public static ServerProcess Launch(string name, int port, string? cpus, string workingDirectory, string logPath,
        IReadOnlyDictionary<string, string> environment, bool isolated, params string[] command)
    {
        var info = new ProcessStartInfo
        {
            FileName = cpus is null ? command[0] : "taskset",
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (cpus is not null)
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(cpus);
            info.ArgumentList.Add(command[0]);
        }

        foreach (var arg in command.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        if (isolated)
        {
            info.Environment.Clear();
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServerProcess(name, port, process, log);
    }

    /// <summary>Moves every thread of the running server to <paramref name="cpus"/> (taskset -a -p).</summary>
    public async Task PinAsync(string cpus)
    {
        using var taskset = Process.Start(new ProcessStartInfo("taskset", ["-a", "-p", "-c", cpus, process.Id.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("taskset did not start");
        await taskset.StandardOutput.ReadToEndAsync();
        await taskset.WaitForExitAsync();
        if (taskset.ExitCode != 0)
        {
            throw new InvalidOperationException($"taskset -a -p -c {cpus} {process.Id} failed with {taskset.ExitCode}");
        }
    }

    /// <summary>Resident set size in MB (VmRSS of /proc/pid/status), or NaN once the process is gone.</summary>
    /// <summary>CPU time (user + system) the process has used so far, in seconds.</summary>
    public double CpuSeconds()
    {
        process.Refresh();
        return process.TotalProcessorTime.TotalSeconds;
    }

    public double RssMb()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var kb = long.Parse(line.AsSpan(6).Trim().ToString().Split(' ')[0], CultureInfo.InvariantCulture);
                    return kb / 1024.0;
                }
            }
        }
        catch (IOException)
        {
        }

        return double.NaN;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
        }

        process.Dispose();
        lock (log)
        {
            log.Dispose();
        }
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private async Task WaitListeningAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + Stats.MsToTicks(timeout.TotalMilliseconds);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {process.ExitCode} before listening (see its log)");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"{Name} did not listen on 127.0.0.1:{Port} within {timeout}");
    }
}
