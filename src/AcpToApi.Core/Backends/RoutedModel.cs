namespace AcpToApi.Backends;

/// <summary>The backend chosen for a model id and the model name that backend understands.</summary>
internal sealed record RoutedModel(BackendRegistration Registration, string BackendModel);
