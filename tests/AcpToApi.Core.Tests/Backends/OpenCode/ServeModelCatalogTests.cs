using System.Text.Json;
using AcpToApi.Backends.OpenCode;

namespace AcpToApi.Tests.Backends.OpenCode;

public sealed class ServeModelCatalogTests
{
    private static ServeModelCatalog Captured() =>
        ServeModelCatalog.Parse(JsonDocument.Parse(File.ReadAllText(ServeSample.PathOf("opencode/opencode-config-providers.json"))).RootElement, null);

    private static ServeModelCatalog KiloLike() => ServeModelCatalog.Parse(JsonDocument.Parse("""
        {"providers":[
          {"id":"kilo","models":{"x-ai/grok-code-fast-1:optimized:free":{},"kilo-auto/free":{},"shared":{}}},
          {"id":"opencode","models":{"minimax-m2.5-free":{},"shared":{}}}],
         "default":{"kilo":"kilo-auto/free","opencode":"minimax-m2.5-free"}}
        """).RootElement, "opencode/minimax-m2.5-free");

    [Fact]
    public void CapturedProviderListResolvesBothSpellings()
    {
        var catalog = Captured();

        Assert.Equal(new ServeModelRef("fake", "fake-model"), catalog.Resolve("fake/fake-model"));
        Assert.Equal(new ServeModelRef("fake", "fake-model"), catalog.Resolve("fake-model"));
        Assert.Equal(new ServeModelRef("fake", "fake-model"), catalog.Resolve("default"));
        Assert.Null(catalog.Resolve("gpt-4o"));
        Assert.Equal(["fake-model"], catalog.ModelNames());
    }

    [Theory]
    [InlineData("x-ai/grok-code-fast-1:optimized:free", "kilo", "x-ai/grok-code-fast-1:optimized:free")]
    [InlineData("kilo-auto/free", "kilo", "kilo-auto/free")]
    [InlineData("minimax-m2.5-free", "opencode", "minimax-m2.5-free")]
    [InlineData("opencode/some-new-model", "opencode", "some-new-model")]
    [InlineData("shared", "kilo", "shared")]
    [InlineData("default", "opencode", "minimax-m2.5-free")]
    public void SeedIdsMapByProviderPrefixElseByModelSearch(string model, string provider, string modelId)
    {
        Assert.Equal(new ServeModelRef(provider, modelId), KiloLike().Resolve(model));
    }

    [Fact]
    public void ModelNamesAreBareUnlessAmbiguous()
    {
        Assert.Equal(
            ["x-ai/grok-code-fast-1:optimized:free", "kilo-auto/free", "kilo/shared", "minimax-m2.5-free", "opencode/shared"],
            KiloLike().ModelNames());
    }
}
