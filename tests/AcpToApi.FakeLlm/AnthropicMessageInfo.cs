using System.Globalization;

namespace AcpToApi.FakeLlm;

/// <summary>The identity of one Anthropic message.</summary>
internal sealed record AnthropicMessageInfo(string Id, string Model, int Sequence)
{
    public string ToolUseId(FakeToolCall call, int index) =>
        call.Id ?? string.Create(CultureInfo.InvariantCulture, $"toolu_fake_{Sequence}_{index}");
}
