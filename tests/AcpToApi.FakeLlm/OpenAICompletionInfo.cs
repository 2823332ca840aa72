using System.Globalization;
using System.Text.Json;

namespace AcpToApi.FakeLlm;

/// <summary>The fields every chunk of one completion shares.</summary>
internal sealed record OpenAICompletionInfo(string Id, long Created, string Model, int Sequence)
{
    public string ToolCallId(FakeToolCall call, int index) =>
        call.Id ?? string.Create(CultureInfo.InvariantCulture, $"call_fake_{Sequence}_{index}");

    public void WriteUsage(Utf8JsonWriter w, FakeScript script)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("prompt_tokens", script.InputTokens);
        w.WriteNumber("completion_tokens", script.OutputTokens);
        w.WriteNumber("total_tokens", script.InputTokens + script.OutputTokens);
        w.WriteEndObject();
    }
}
