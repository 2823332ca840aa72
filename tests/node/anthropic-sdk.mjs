// The official `@anthropic-ai/sdk` npm package against a running acptoapi: prints one JSON summary line.
// Usage: node anthropic-sdk.mjs <baseURL> <model> <prompt> <toolModel> <toolPrompt>
import Anthropic from '@anthropic-ai/sdk';

const [baseURL, model, prompt, toolModel, toolPrompt] = process.argv.slice(2);
const client = new Anthropic({ baseURL, apiKey: 'none', maxRetries: 0 });

const whole = await client.messages.create({ model, max_tokens: 256, messages: [{ role: 'user', content: prompt }] });

const textDeltas = [];
const thinkingDeltas = [];
const stream = client.messages.stream({
  model,
  max_tokens: 2048,
  thinking: { type: 'enabled', budget_tokens: 1024 },
  messages: [{ role: 'user', content: prompt }],
});
stream.on('text', (t) => textDeltas.push(t));
stream.on('thinking', (t) => thinkingDeltas.push(t));
const streamed = await stream.finalMessage();

const tools = [{
  name: 'get_weather',
  description: 'Weather for a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
}];
const first = await client.messages.create({ model: toolModel, max_tokens: 256, tools, messages: [{ role: 'user', content: toolPrompt }] });
const call = first.content.find((b) => b.type === 'tool_use');
const second = await client.messages.create({
  model: toolModel,
  max_tokens: 256,
  tools,
  messages: [
    { role: 'user', content: toolPrompt },
    { role: 'assistant', content: first.content },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: 'sunny, 21 C' }] },
  ],
});

let notFound = null;
try {
  await client.messages.create({ model: 'nosuch/x', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });
} catch (e) {
  notFound = { status: e.status, type: e.error?.error?.type ?? null };
}

const count = await client.messages.countTokens({ model, messages: [{ role: 'user', content: prompt }] });

console.log(JSON.stringify({
  whole: { text: whole.content.filter((b) => b.type === 'text').map((b) => b.text).join(''), stop: whole.stop_reason, usage: whole.usage },
  streamed: {
    textDeltas,
    thinking: thinkingDeltas.join(''),
    signature: streamed.content.find((b) => b.type === 'thinking')?.signature ?? null,
    stop: streamed.stop_reason,
  },
  tool: { stop: first.stop_reason, name: call?.name, input: call?.input, answer: second.content.filter((b) => b.type === 'text').map((b) => b.text).join('') },
  notFound,
  inputTokens: count.input_tokens,
}));
