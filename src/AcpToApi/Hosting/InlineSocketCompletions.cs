namespace AcpToApi.Hosting;

/// <summary>
/// The runtime half of <c>--inline-io</c>: the socket engine runs I/O completions on its own threads when
/// <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>, a variable it reads once per process, when the first socket is
/// made. It is a property of the process, not of an app: only the entry point (Program) sets it, before any socket
/// exists, and an app built in-process (tests) never touches it. So the variable's value is what the engine read.
/// </summary>
internal static class InlineSocketCompletions
{
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Whether this process's socket engine runs completions inline (what /debug/config shows).</summary>
    public static bool InThisProcess => Environment.GetEnvironmentVariable(Variable) == "1";
}
