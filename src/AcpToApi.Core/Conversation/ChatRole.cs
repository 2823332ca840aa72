namespace AcpToApi.Conversation;

/// <summary>An extensible set of message roles; unknown roles from clients survive as-is.</summary>
internal readonly record struct ChatRole(string Value)
{
    public static readonly ChatRole System = new("system");
    public static readonly ChatRole User = new("user");
    public static readonly ChatRole Assistant = new("assistant");
    public static readonly ChatRole Tool = new("tool");

    public override string ToString() => Value;
}
