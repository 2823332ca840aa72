using System.Globalization;
using System.Runtime.InteropServices;

namespace AcpToApi.FakeLlm;

/// <summary>
/// Standalone: <c>dotnet run --project tests/AcpToApi.FakeLlm -- --port 5099</c>; runs until Ctrl+C or SIGTERM.
/// <c>--no-record</c> (benchmarks): keep no requests and print no line per request.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var record = !args.Contains("--no-record");
        if (!TryParsePort([.. args.Where(a => a != "--no-record")], out var port))
        {
            await Console.Error.WriteLineAsync("usage: AcpToApi.FakeLlm [--port <port>] [--no-record]   (binds 127.0.0.1; 0 = any free port)");
            return 2;
        }

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.TrySetResult();
        };
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.TrySetResult();
        });

        await using var fake = await FakeLlmServer.StartAsync(port, record);
        if (record)
        {
            fake.RequestRecorded += (_, request) => Console.WriteLine(
                $"{request.ReceivedAt:HH:mm:ss.fff} #{request.Sequence} {request.Method} {request.Path}{request.QueryString} ({request.Body.Length} bytes)");
        }

        Console.WriteLine($"FakeLlm listening on {fake.BaseUrl.GetLeftPart(UriPartial.Authority)}");
        await stop.Task;
        Console.WriteLine("FakeLlm stopping");
        return 0;
    }

    private static bool TryParsePort(string[] args, out int port)
    {
        port = 0;
        for (var i = 0; i < args.Length; i++)
        {
            var value = args[i] switch
            {
                "--port" or "-p" when i + 1 < args.Length => args[++i],
                var arg when arg.StartsWith("--port=", StringComparison.Ordinal) => arg["--port=".Length..],
                _ => null,
            };
            if (value is null || !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535)
            {
                return false;
            }
        }

        return true;
    }
}
