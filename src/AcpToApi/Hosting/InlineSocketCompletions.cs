namespace AcpToApi.Hosting;

/// <summary>
/// The runtime half of <c>--inline-io</c>: the socket engine runs I/O completions on its own threads when
/// <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>, a variable it reads once, when the process makes its first
/// socket. Set here, before the server is built; an operator's own value of the variable is left as it is.
/// </summary>
internal static class InlineSocketCompletions
{
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static void Apply(bool inlineIo)
    {
        if (inlineIo && Environment.GetEnvironmentVariable(Variable) is null)
        {
            Environment.SetEnvironmentVariable(Variable, "1");
        }
    }
}
