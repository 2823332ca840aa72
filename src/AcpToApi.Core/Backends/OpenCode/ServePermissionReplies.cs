namespace AcpToApi.Backends.OpenCode;

/// <summary>The answers the serve API accepts for a permission request.</summary>
internal static class ServePermissionReplies
{
    public const string Reject = "reject";
    public const string Once = "once";
    public const string Always = "always";

    public static bool IsValid(string? reply) => reply is Reject or Once or Always;
}
