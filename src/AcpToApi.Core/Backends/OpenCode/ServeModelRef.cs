namespace AcpToApi.Backends.OpenCode;

/// <summary>A model as the serve API names it.</summary>
internal sealed record ServeModelRef(string ProviderId, string ModelId)
{
    public override string ToString() => ProviderId + "/" + ModelId;
}
