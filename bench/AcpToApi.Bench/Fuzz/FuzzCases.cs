using System.Text;
using System.Text.Json.Nodes;

namespace AcpToApi.Bench.Fuzz;

/// <summary>
/// Makes a fixed, repeatable sequence of mutated requests from a seed: a well-formed request for some ingress, then one
/// to three mutations of its JSON tree (a value replaced by null, another type, an extreme number, a long or odd string,
/// deep nesting; a field dropped or doubled) or of its bytes (cut short, a byte changed). Bounded: a body is at most a few MB.
/// </summary>
public static class FuzzCases
{
    // Placeholders swapped in after serialization, for what a JSON tree cannot hold: a lone surrogate, a huge exponent.
    private const string LoneSurrogate = "@@fuzz-lone-surrogate@@";
    private const string HugeNumber = "@@fuzz-huge-number@@";

    public static IEnumerable<FuzzCase> Generate(int seed, int count, IReadOnlyList<string> models)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var (path, template) = FuzzSeeds.All[random.Next(FuzzSeeds.All.Length)];
            var model = models[random.Next(models.Count)];
            var json = template.Replace("MODEL", model, StringComparison.Ordinal);
            var recipe = new StringBuilder(path).Append(' ').Append(model);
            byte[] body;
            if (random.Next(10) == 0)
            {
                body = MutateBytes(Encoding.UTF8.GetBytes(json), random, recipe);
            }
            else
            {
                var root = JsonNode.Parse(json)!;
                var mutations = 1 + random.Next(3);
                for (var m = 0; m < mutations; m++)
                {
                    root = MutateTree(root, random, recipe);
                }
                var text = root.ToJsonString()
                    .Replace("\"" + LoneSurrogate + "\"", "\"a\\ud800b\"", StringComparison.Ordinal)
                    .Replace("\"" + HugeNumber + "\"", "1e400", StringComparison.Ordinal);
                if (random.Next(20) == 0)
                {
                    text = DuplicateFirstKey(text);
                    recipe.Append(" | duplicate key");
                }
                body = Encoding.UTF8.GetBytes(text);
            }
            yield return new FuzzCase(i, path.Replace("MODEL", model, StringComparison.Ordinal), body, recipe.ToString())
            {
                AsksForFault = model.Contains("error=", StringComparison.Ordinal) || model.Contains("fail-after", StringComparison.Ordinal),
            };
        }
    }

    private static JsonNode MutateTree(JsonNode root, Random random, StringBuilder recipe)
    {
        var nodes = new List<JsonNode>();
        Collect(root, nodes);
        var target = nodes[random.Next(nodes.Count)];
        var replacement = Replacement(random, out var what);
        recipe.Append(" | ").Append(target.GetPath()).Append(" := ").Append(what);
        if (target == root)
        {
            return replacement ?? JsonValue.Create(0);
        }
        var parent = target.Parent!;
        if (parent is JsonObject obj)
        {
            var name = target.GetPropertyName();
            switch (random.Next(6))
            {
                case 0:
                    obj.Remove(name);
                    recipe.Append(" (removed)");
                    break;
                case 1:
                    obj["x_unknown_" + random.Next(100)] = replacement;
                    break;
                default:
                    obj[name] = replacement;
                    break;
            }
        }
        else if (parent is JsonArray array)
        {
            var index = target.GetElementIndex();
            if (random.Next(4) == 0)
            {
                array.Insert(index, replacement);
            }
            else
            {
                array[index] = replacement;
            }
        }
        return root;
    }

    private static JsonNode? Replacement(Random random, out string what)
    {
        switch (random.Next(17))
        {
            case 0: what = "null"; return null;
            case 1: what = "[null]"; return new JsonArray((JsonNode?)null);
            case 2: what = "{}"; return new JsonObject();
            case 3: what = "[]"; return new JsonArray();
            case 4: what = "true"; return JsonValue.Create(true);
            case 5: what = "-1"; return JsonValue.Create(-1);
            case 6: what = "1e400"; return JsonValue.Create(HugeNumber);
            case 7: what = "2^63"; return JsonValue.Create(9223372036854775808m);
            case 8: what = "1.5"; return JsonValue.Create(1.5);
            case 9: what = "\"\""; return JsonValue.Create("");
            case 10: what = "lone surrogate"; return JsonValue.Create(LoneSurrogate);
            case 11:
                // Now and then a body of megabytes, as large prompts and base64 images make them.
                var length = random.Next(40) == 0 ? 2_000_000 + random.Next(2_000_000) : random.Next(4) == 0 ? 150_000 : 2_000;
                what = $"long word ({length})";
                return JsonValue.Create(new string((char)('a' + random.Next(26)), length));
            case 12: what = "\"echo/\""; return JsonValue.Create("echo/");
            case 13:
                what = "deep nesting";
                JsonNode deep = new JsonArray();
                for (var d = 0; d < 70; d++)
                {
                    deep = new JsonArray(deep);
                }
                return deep;
            case 14: what = "[\"a\",1,null,{}]"; return new JsonArray("a", 1, null, new JsonObject());
            case 15: what = "{\"type\":\"weird\"}"; return new JsonObject { ["type"] = "weird" };
            default: what = "\"\\u0000<>\""; return JsonValue.Create("\0<>\u2028");
        }
    }

    private static byte[] MutateBytes(byte[] body, Random random, StringBuilder recipe)
    {
        switch (random.Next(3))
        {
            case 0:
                var cut = random.Next(body.Length + 1);
                recipe.Append(" | cut at ").Append(cut);
                return body[..cut];
            case 1:
                var at = random.Next(body.Length);
                var value = (byte)random.Next(256);
                recipe.Append(" | byte ").Append(at).Append(" := ").Append(value);
                var changed = (byte[])body.Clone();
                changed[at] = value;
                return changed;
            default:
                recipe.Append(" | prefixed with a BOM and whitespace");
                return [0xEF, 0xBB, 0xBF, (byte)' ', .. body];
        }
    }

    private static string DuplicateFirstKey(string json)
    {
        var end = json.IndexOf(',', StringComparison.Ordinal);
        return json.StartsWith('{') && end > 1 ? "{" + json[1..end] + "," + json[1..] : json;
    }

    private static void Collect(JsonNode? node, List<JsonNode> into)
    {
        if (node is null)
        {
            return;
        }
        into.Add(node);
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj)
                {
                    Collect(child, into);
                }
                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Collect(child, into);
                }
                break;
        }
    }
}
