using System.Diagnostics;
using AcpToApi.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AcpToApi.Tests.Hosting;

/// <summary>
/// Per-request cost (issue 16): ASP.NET Core starts an Activity for every request while its hosting logger is enabled,
/// only to scope that logger's lines, which duplicate the gateway's own. Below Debug it is off, so a request runs with no
/// Activity (no allocation, no async-local through every await); at Debug it is back with the framework's lines.
/// </summary>
public sealed class RequestActivityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("Warning", false)]
    [InlineData("Information", false)]
    [InlineData("Debug", true)]
    public async Task ARequestRunsWithAnActivityOnlyWhenDebugging(string logLevel, bool expected)
    {
        var probe = new ActivityProbe();
        await using var server = await GatewayServer.StartAsync(settings: new() { ["logLevel"] = logLevel },
            services: services => services.AddSingleton<IStartupFilter>(probe));
        using var http = server.CreateHttpClient();

        using var response = await http.GetAsync("/health", Ct);

        response.EnsureSuccessStatusCode();
        Assert.Equal(expected, probe.SawActivity);
    }

    /// <summary>Runs first in the pipeline and notes whether the request came with an Activity.</summary>
    private sealed class ActivityProbe : IStartupFilter
    {
        public bool? SawActivity { get; private set; }

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((HttpContext context, RequestDelegate nextHandler) =>
            {
                SawActivity = Activity.Current is not null;
                return nextHandler(context);
            });
            next(app);
        };
    }
}
