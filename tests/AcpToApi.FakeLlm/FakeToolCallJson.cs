using System.Text.Json;

namespace AcpToApi.FakeLlm;

/// <summary>
/// The JSON form of <see cref="FakeToolCall"/>. Arguments may be given as a string (<c>argumentsJson</c>)
/// or, easier to type inside a prompt directive, as a JSON value (<c>arguments</c>).
/// </summary>
internal sealed class FakeToolCallJson
{
    public string? Name { get; set; }

    public string? ArgumentsJson { get; set; }

    public JsonElement? Arguments { get; set; }

    public string? Id { get; set; }

    public FakeToolCall ToToolCall()
    {
        if (string.IsNullOrEmpty(Name))
        {
            throw new JsonException("a tool call needs a \"name\"");
        }

        return new FakeToolCall(Name, ArgumentsJson ?? Arguments?.GetRawText() ?? "{}", Id);
    }
}
