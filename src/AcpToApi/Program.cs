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
        InlineSocketCompletions.Apply(settings.Server.InlineIo);
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
