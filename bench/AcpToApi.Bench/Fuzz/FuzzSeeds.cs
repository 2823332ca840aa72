namespace AcpToApi.Bench.Fuzz;

/// <summary>Well-formed requests for every ingress, the starting points the fuzzer mutates. <c>MODEL</c> is replaced per case.</summary>
internal static class FuzzSeeds
{
    private const string Tools = """[{"type":"function","function":{"name":"get_weather","description":"d","parameters":{"type":"object","properties":{"city":{"type":"string","enum":[null,"x"]}}}}}]""";

    public static readonly (string Path, string Body)[] All =
    [
        ("/v1/chat/completions", """{"model":"MODEL","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"one two three"}],"temperature":0.5,"max_tokens":20,"stop":["x"]}"""),
        ("/v1/chat/completions", """{"model":"MODEL","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":[{"type":"text","text":"hi there"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]}]}"""),
        ("/v1/chat/completions", """{"model":"MODEL","tools":TOOLS,"tool_choice":"auto","messages":[{"role":"user","content":"weather?"},{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"x\"}"}}]},{"role":"tool","tool_call_id":"c1","content":"sunny"}]}""".Replace("TOOLS", Tools)),
        ("/v1/responses", """{"model":"MODEL","instructions":"be brief","input":"one two three","max_output_tokens":30}"""),
        ("/v1/responses", """{"model":"MODEL","stream":true,"input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]},{"type":"function_call","call_id":"c1","name":"f","arguments":"{}"},{"type":"function_call_output","call_id":"c1","output":"ok"}],"tools":[{"type":"function","name":"f","parameters":{"type":"object"}}]}"""),
        ("/v1/messages", """{"model":"MODEL","max_tokens":50,"system":[{"type":"text","text":"be brief"}],"stop_sequences":["zz"],"messages":[{"role":"user","content":"one two"}]}"""),
        ("/v1/messages", """{"model":"MODEL","max_tokens":50,"stream":true,"tools":[{"name":"f","description":"d","input_schema":{"type":"object"}}],"messages":[{"role":"user","content":[{"type":"text","text":"hi"}]},{"role":"assistant","content":[{"type":"thinking","thinking":"t","signature":"s"},{"type":"tool_use","id":"t1","name":"f","input":{"a":[1,null]}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"ok"}]}]}"""),
        ("/v1/messages/count_tokens", """{"model":"MODEL","messages":[{"role":"user","content":"count these words"}],"tools":[{"name":"f","input_schema":{"type":"object"}}]}"""),
        ("/v1beta/models/MODEL:generateContent", """{"systemInstruction":{"parts":[{"text":"be brief"}]},"contents":[{"role":"user","parts":[{"text":"one two"}]}],"generationConfig":{"temperature":0.2,"maxOutputTokens":20,"stopSequences":["q"]}}"""),
        ("/v1beta/models/MODEL:streamGenerateContent?alt=sse", """{"contents":[{"role":"user","parts":[{"text":"hi"}]},{"role":"model","parts":[{"functionCall":{"name":"f","args":{"a":1}}}]},{"role":"user","parts":[{"functionResponse":{"name":"f","response":{"r":"ok"}}}]}],"tools":[{"functionDeclarations":[{"name":"f","parameters":{"type":"OBJECT"}}]}]}"""),
        ("/v1beta/models/MODEL:streamGenerateContent", """{"contents":[{"parts":[{"text":"json array framing"}]}]}"""),
        ("/v1beta/models/MODEL:countTokens", """{"contents":[{"role":"user","parts":[{"text":"count these"}]}]}"""),
        ("/debug/translate", """{"model":"MODEL","messages":[{"role":"user","content":"hi"}]}"""),
    ];
}
