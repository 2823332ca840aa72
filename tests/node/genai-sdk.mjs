// The official `@google/genai` npm package against a running acptoapi: prints one JSON summary line.
// Usage: node genai-sdk.mjs <baseUrl> <model> <prompt> <toolModel> <toolPrompt>
import { GoogleGenAI, Type } from '@google/genai';

const [baseUrl, model, prompt, toolModel, toolPrompt] = process.argv.slice(2);
const ai = new GoogleGenAI({ apiKey: 'none', httpOptions: { baseUrl } });

const whole = await ai.models.generateContent({ model, contents: prompt });

const textDeltas = [];
const thoughtDeltas = [];
let signature = null;
let streamFinish = null;
let streamUsage = null;
const stream = await ai.models.generateContentStream({
  model,
  contents: prompt,
  config: { thinkingConfig: { includeThoughts: true, thinkingBudget: 1024 } },
});
for await (const chunk of stream) {
  for (const part of chunk.candidates?.[0]?.content?.parts ?? []) {
    if (part.thoughtSignature) signature = part.thoughtSignature;
    if (part.thought) { if (part.text) thoughtDeltas.push(part.text); }
    else if (part.text) textDeltas.push(part.text);
  }
  if (chunk.candidates?.[0]?.finishReason) streamFinish = chunk.candidates[0].finishReason;
  if (chunk.usageMetadata) streamUsage = chunk.usageMetadata;
}

const tools = [{
  functionDeclarations: [{
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: { type: Type.OBJECT, properties: { city: { type: Type.STRING } }, required: ['city'] },
  }],
}];
const first = await ai.models.generateContent({ model: toolModel, contents: toolPrompt, config: { tools } });
const call = first.functionCalls?.[0];
const second = await ai.models.generateContent({
  model: toolModel,
  config: { tools },
  contents: [
    { role: 'user', parts: [{ text: toolPrompt }] },
    first.candidates[0].content,
    { role: 'user', parts: [{ functionResponse: { id: call?.id, name: call?.name, response: { output: 'sunny, 21 C' } } }] },
  ],
});

let notFound = null;
try {
  await ai.models.generateContent({ model: 'nosuch/x', contents: 'hi' });
} catch (e) {
  notFound = { status: e.status ?? null, message: e.message };
}

const count = await ai.models.countTokens({ model, contents: prompt });

const listed = [];
for await (const m of await ai.models.list()) listed.push(m.name);

console.log(JSON.stringify({
  whole: { text: whole.text, finish: whole.candidates?.[0]?.finishReason, usage: whole.usageMetadata, modelVersion: whole.modelVersion },
  streamed: { textDeltas, thoughts: thoughtDeltas.join(''), signature, finish: streamFinish, usage: streamUsage },
  tool: { finish: first.candidates?.[0]?.finishReason, name: call?.name, id: call?.id ?? null, args: call?.args, answer: second.text },
  notFound,
  totalTokens: count.totalTokens,
  listed,
}));
