using System.Reflection;

namespace AcpToApi.Hosting;

internal static class GatewayInfo
{
    public static string Version { get; } =
        typeof(GatewayInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
