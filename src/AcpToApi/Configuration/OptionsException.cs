namespace AcpToApi.Configuration;

/// <summary>A setting that cannot be used; the message is shown to the operator as-is.</summary>
internal sealed class OptionsException(string message) : Exception(message);
