using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using AcpToApi.Hosting;
using AcpToApi.Tests.ClaudeCli;
using AcpToApi.Tests.Infrastructure;

namespace AcpToApi.Tests.Packaging;

/// <summary>
/// The npx install as a user with only Node has it: the two packages staged by build-npm.sh (the launcher and the
/// linux-x64 package carrying the Native AOT binary) packed with <c>npm pack</c>, installed from those tarballs alone
/// into an empty prefix with an empty npm cache and <c>--offline</c> (so nothing can come from the registry), then run
/// with <c>npx</c>: <c>--version</c>, and the server itself answering an echo chat request, stopped by SIGTERM to npx,
/// with no process of it left.
/// </summary>
public sealed class NpmPackageTests
{
    private const string Launcher = "acptoapi-dotnet";
    private static readonly string[] Packages = [Launcher, Launcher + "-linux-x64"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NpxRunsTheNativeBinaryFromThePackedTarballsAndLeavesNothingBehind()
    {
        var stage = Path.Combine(TestEnvironment.RepoRoot, "artifacts", "npm", "stage");
        TestEnvironment.Require(File.Exists(Path.Combine(stage, Packages[1], "bin", "acptoapi")),
            "The npm packages staged by ./build-npm.sh (artifacts/npm/stage)");
        var temp = Directory.CreateTempSubdirectory("acptoapi-npm-test-");
        var marker = $"ACPTOAPI_NPM_TEST={Guid.NewGuid():N}";
        try
        {
            var environment = Environment(temp.FullName, marker);
            foreach (var package in Packages)
            {
                await RunAsync(temp.FullName, environment, "npm", "pack", Path.Combine(stage, package), "--pack-destination", temp.FullName);
            }
            var tarballs = Directory.GetFiles(temp.FullName, "*.tgz");
            Assert.Equal(2, tarballs.Length);
            var prefix = Directory.CreateDirectory(Path.Combine(temp.FullName, "prefix")).FullName;
            await RunAsync(prefix, environment, ["npm", "install", "--offline", "--no-audit", "--no-fund", .. tarballs]);

            var version = await RunAsync(prefix, environment, "npx", "--offline", Launcher, "--version");
            Assert.Equal(GatewayInfo.Version, version.Trim());

            // npx as a user runs it in a terminal, stopped by Ctrl+C (SIGINT to the terminal's whole process group).
            var binary = Path.Combine(prefix, "node_modules", Packages[1], "bin", "acptoapi");
            await using (var npx = await GatewayProcess.StartAsync(["npx", "--offline", Launcher], ["--port", "0", "--log-level", "Warning"],
                environment, Ct, workingDirectory: prefix, processGroup: true))
            {
                await AssertEchoAsync(npx.BaseUrl);
                // One process among them is the native binary from the installed platform package.
                Assert.Contains(ProcessTable.WithEnvironmentEntry(marker), pid => ExecutableOf(pid) == binary);
                Assert.NotNull(await npx.StopAsync("INT"));
                await AssertGoneAsync(npx.BaseUrl, marker);
            }

            // The launcher itself (the `acptoapi-dotnet` command of a global install) stopped by SIGTERM to it alone, as a
            // service manager may send it: it hands the signal to the server and exits with the server's own code.
            var launcher = Path.Combine(prefix, "node_modules", ".bin", Launcher);
            await using (var direct = await GatewayProcess.StartAsync([launcher], ["--port", "0", "--log-level", "Warning"], environment, Ct))
            {
                await AssertEchoAsync(direct.BaseUrl);
                Assert.Equal(0, await direct.StopAsync("TERM"));
                await AssertGoneAsync(direct.BaseUrl, marker);
            }
        }
        finally
        {
            foreach (var pid in ProcessTable.WithEnvironmentEntry(marker))
            {
                try
                {
                    Process.GetProcessById(pid).Kill();
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException)
                {
                }
            }
            temp.Delete(recursive: true);
        }
    }

    private static async Task AssertEchoAsync(Uri server)
    {
        using var http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(60) };
        using var response = await http.PostAsync("/v1/chat/completions", new StringContent(
            """{"model":"echo/hello","messages":[{"role":"user","content":"hi through npx"}]}""", System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("hi through npx", body.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    /// <summary>No process started under the marker is left, and nothing listens on the server's port any more.</summary>
    private static async Task AssertGoneAsync(Uri server, string marker)
    {
        await Eventually.WaitAsync(() => ProcessTable.WithEnvironmentEntry(marker).Count == 0, "every process of the server exiting");
        await Assert.ThrowsAsync<SocketException>(async () =>
        {
            using var client = new TcpClient();
            await client.ConnectAsync(server.Host, server.Port, Ct);
        });
    }

    /// <summary>Only what npm and node need, with npm's cache, config and HOME in the test's directory: nothing from the user's npm.</summary>
    private static Dictionary<string, string> Environment(string temp, string marker)
    {
        var (name, value) = (marker.Split('=')[0], marker.Split('=')[1]);
        return new()
        {
            ["PATH"] = System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin",
            ["HOME"] = Directory.CreateDirectory(Path.Combine(temp, "home")).FullName,
            ["npm_config_cache"] = Path.Combine(temp, "npm-cache"),
            ["npm_config_update_notifier"] = "false",
            ["npm_config_fund"] = "false",
            ["npm_config_audit"] = "false",
            [name] = value,
        };
    }

    private static async Task<string> RunAsync(string directory, Dictionary<string, string> environment, params string[] command)
    {
        var start = new ProcessStartInfo(command[0]) { WorkingDirectory = directory, UseShellExecute = false };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        var result = await ChildProcess.RunAsync(start, TimeSpan.FromMinutes(3), Ct);
        Assert.True(result.ExitCode == 0, $"{string.Join(' ', command)} exited with {result.ExitCode}: {result.Stderr}{result.Stdout}");
        return result.Stdout;
    }

    private static string? ExecutableOf(int pid)
    {
        try
        {
            return new FileInfo($"/proc/{pid}/exe").LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
