using AcpToApi.Backends;
using AcpToApi.Backends.ClientTools;
using AcpToApi.Conversation;

namespace AcpToApi.Core.Tests.Backends.ClientTools;

public sealed class ClientToolNamesTests
{
    private static ToolDefinition Tool(string name) => new(name, null, null);

    [Theory]
    [InlineData("get_weather")]
    [InlineData("Bash")]
    [InlineData("a-b_C9")]
    public void ASafeShortNameIsOfferedAsItIs(string name) => Assert.Equal(name, ClientToolNames.ForAgent(name));

    [Theory]
    [InlineData("mcp__filesystem__read_multiple_files_with_their_line_numbers_v2")]
    [InlineData("files.read")]
    [InlineData("wetter_für_stadt")]
    [InlineData("get_weather_in_a_city_by_its_name_and_country_code")]
    public void AnyOtherNameBecomesASafePrefixAndAHashThatMapsBack(string name)
    {
        var agentName = ClientToolNames.ForAgent(name);

        Assert.Matches("^[A-Za-z0-9_-]+_[0-9a-f]{8}$", agentName);
        Assert.True(agentName.Length <= ClientToolNames.AgentNameLimit);
        Assert.Equal(agentName, ClientToolNames.ForAgent(name)); // the same on every request: a replayed call keeps its name
        Assert.Equal(name, ClientToolNames.ClientName(agentName, [Tool("other"), Tool(name)]));
    }

    [Fact]
    public void TwoLongNamesThatDifferOnlyPastTheCutStayApart()
    {
        var stem = new string('a', 60);
        Assert.NotEqual(ClientToolNames.ForAgent(stem + "_one"), ClientToolNames.ForAgent(stem + "_two"));
        ClientToolNames.Validate([Tool(stem + "_one"), Tool(stem + "_two")]);
    }

    [Fact]
    public void ANameDeclaredTwiceOrEmptyIsA400NamingTheTool()
    {
        var twice = Assert.Throws<ChatBackendException>(() => ClientToolNames.Validate([Tool("a"), Tool("b"), Tool("a")]));
        Assert.Equal((ChatErrorKind.BadRequest, "tools[2].name", "duplicate_tool_name"), (twice.Kind, twice.Param, twice.Code));
        var empty = Assert.Throws<ChatBackendException>(() => ClientToolNames.Validate([Tool("")]));
        Assert.Equal(("tools[0].name", "invalid_tool_name"), (empty.Param, empty.Code));
    }

    [Fact]
    public void ANameNoToolIsOfferedUnderMapsToNothing() => Assert.Null(ClientToolNames.ClientName("get_time", [Tool("get_weather")]));
}
