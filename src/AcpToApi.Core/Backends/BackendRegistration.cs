namespace AcpToApi.Backends;

/// <summary>A backend reachable under a model prefix, e.g. <c>openai</c> for <c>openai/gpt-4o</c>.</summary>
internal sealed record BackendRegistration(string Prefix, IChatBackend Backend, string Description)
{
    public IBackendProbe? Probe => Backend as IBackendProbe;
}
