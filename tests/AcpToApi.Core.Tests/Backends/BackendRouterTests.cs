using AcpToApi.Backends;
using AcpToApi.Backends.Echo;

namespace AcpToApi.Tests.Backends;

public sealed class BackendRouterTests
{
    private static readonly BackendRouter Router = new(
    [
        new BackendRegistration("echo", new EchoBackend(), "echo"),
        new BackendRegistration("kilo", new EchoBackend(), "kilo stand-in"),
    ]);

    [Theory]
    [InlineData("echo/hello", "echo", "hello")]
    [InlineData("kilo/x-ai/grok-code-fast-1:optimized:free", "kilo", "x-ai/grok-code-fast-1:optimized:free")]
    [InlineData("kilo/kilo-auto/free", "kilo", "kilo-auto/free")]
    [InlineData("grok-code-fast-1", "kilo", "grok-code-fast-1")]
    [InlineData("ECHO/Mixed", "echo", "Mixed")]
    public void RoutesByFirstSegmentAndBareIdsGoToKilo(string model, string prefix, string backendModel)
    {
        var routed = Router.Route(model);
        Assert.Equal(prefix, routed.Registration.Prefix);
        Assert.Equal(backendModel, routed.BackendModel);
    }

    [Fact]
    public void UnknownPrefixIsNotFoundListingTheKnownOnes()
    {
        var error = Assert.Throws<ChatBackendException>(() => Router.Route("x-ai/grok"));
        Assert.Equal(ChatErrorKind.NotFound, error.Kind);
        Assert.Equal(404, error.HttpStatus);
        Assert.Equal("model_not_found", error.Code);
        Assert.Contains("echo/, kilo/", error.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("echo/")]
    public void MissingModelIsABadRequest(string? model) =>
        Assert.Equal(ChatErrorKind.BadRequest, Assert.Throws<ChatBackendException>(() => Router.Route(model)).Kind);
}
