using System.Text.Json;
using AcpToApi.Backends.ClaudeCli;
using AcpToApi.Conversation;

namespace AcpToApi.Tests.Backends.ClaudeCli;

public sealed class ClaudeHistoryFileTests
{
    [Fact]
    public void EarlierTurnsBecomeAChainedSessionFileWithClientToolsUnderTheirMcpNames()
    {
        var config = Directory.CreateTempSubdirectory("acptoapi-history-test-").FullName;
        try
        {
            var (sessionId, folder) = ClaudeHistoryFile.Write(config, "/tmp/acptoapi-claude-x/work", "sonnet",
            [
                ChatMessage.FromText(ChatRole.User, "Oslo?"),
                new ChatMessage(ChatRole.Assistant, [new TextPart("Checking."), new ToolCallPart("toolu_1", "get_weather", """{"city":"Oslo"}""")]),
                new ChatMessage(ChatRole.Tool, [new ToolResultPart("toolu_1", "get_weather", [new TextPart("rain")])]),
                ChatMessage.FromText(ChatRole.Assistant, "Rain."),
            ]);

            Assert.Equal(Path.Combine(config, "projects", "-tmp-acptoapi-claude-x-work"), folder);
            var lines = File.ReadAllLines(Path.Combine(folder, sessionId + ".jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.Equal(["user", "assistant", "user", "assistant"], lines.Select(l => l.GetProperty("type").GetString()));
            Assert.Equal(JsonValueKind.Null, lines[0].GetProperty("parentUuid").ValueKind);
            for (var i = 1; i < lines.Count; i++)
            {
                Assert.Equal(lines[i - 1].GetProperty("uuid").GetString(), lines[i].GetProperty("parentUuid").GetString());
            }
            Assert.All(lines, l => Assert.Equal(sessionId, l.GetProperty("sessionId").GetString()));
            var call = lines[1].GetProperty("message").GetProperty("content")[1];
            Assert.Equal(("tool_use", "toolu_1", "mcp__gw__get_weather"), (call.GetProperty("type").GetString(), call.GetProperty("id").GetString(), call.GetProperty("name").GetString()));
            Assert.Equal("tool_use", lines[1].GetProperty("message").GetProperty("stop_reason").GetString());
            var result = lines[2].GetProperty("message").GetProperty("content")[0];
            Assert.Equal(("tool_result", "toolu_1"), (result.GetProperty("type").GetString(), result.GetProperty("tool_use_id").GetString()));
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }
}
