using AcpToApi.Backends;
using AcpToApi.Configuration;
using AcpToApi.Hosting;

var command = AcpToApi.Configuration.CommandLine.Build(async (given, cancellationToken) =>
{
    GatewaySettings settings;
    WebApplication app;
    try
    {
        settings = SettingsLoader.Load(given, SettingsLoader.ReadProcessEnvironment());
        // Process-wide by nature (the runtime reads it once, at the first socket), so it is set here, by the process's
        // entry point, before the server makes any socket; an operator's own value of the variable is left as it is.
        if (settings.Server.InlineIo && Environment.GetEnvironmentVariable(InlineSocketCompletions.Variable) is null)
        {
            Environment.SetEnvironmentVariable(InlineSocketCompletions.Variable, "1");
        }
        app = GatewayApp.Build(settings);
    }
    catch (OptionsException e)
    {
        await Console.Error.WriteLineAsync($"acptoapi: {e.Message}");
        return 2;
    }

    var options = settings.Server;
    try
    {
        await app.StartAsync(cancellationToken);
    }
    catch (IOException e)
    {
        await Console.Error.WriteLineAsync($"acptoapi: cannot listen on {options.Host}:{options.Port}: {e.Message}");
        return 1;
    }
    // Listening: what building the app allocated is garbage now (before the report, so the report's last line means done).
    app.Services.GetRequiredService<IdleMemoryTrim>().CollectStartupGarbage();
    await StartupReport.WriteAsync(Console.Out, GatewayApp.BoundAddress(app), app.Services.GetRequiredService<BackendRouter>(),
        app.Services.GetRequiredService<BackendStatusCache>(), cancellationToken);
    if (BackendCatalog.Claude(settings).ClaudeTools)
    {
        await Console.Error.WriteLineAsync(StartupReport.ClaudeToolsWarning);
    }
    await app.WaitForShutdownAsync(cancellationToken);
    // Disposing the app disposes the backends: shared event streams close, auto-launched daemons stop.
    await app.DisposeAsync();
    return 0;
});

return await command.Parse(args).InvokeAsync();
