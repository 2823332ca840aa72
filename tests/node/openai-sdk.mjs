// The official `openai` npm package against a running acptoapi: prints one JSON summary line.
// Usage: node openai-sdk.mjs <baseURL> <model> <prompt>
import OpenAI from 'openai';

const [baseURL, model, prompt] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey: 'none', maxRetries: 0 });

const deltas = [];
let finish = null;
let usage = null;
const stream = await client.chat.completions.create({
  model,
  messages: [{ role: 'user', content: prompt }],
  stream: true,
  stream_options: { include_usage: true },
});
for await (const chunk of stream) {
  const choice = chunk.choices[0];
  if (choice?.delta?.content) deltas.push(choice.delta.content);
  if (choice?.finish_reason) finish = choice.finish_reason;
  if (chunk.usage) usage = chunk.usage;
}

const whole = await client.chat.completions.create({ model, messages: [{ role: 'user', content: prompt }] });

// The raw stream, to see the [DONE] terminator the SDK swallows.
const raw = await fetch(`${baseURL}/chat/completions`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ model, stream: true, messages: [{ role: 'user', content: prompt }] }),
});
const text = await raw.text();

let notFound = null;
try {
  await client.chat.completions.create({ model: 'nosuch/x', messages: [{ role: 'user', content: 'hi' }] });
} catch (e) {
  notFound = { status: e.status, code: e.code ?? e.error?.code ?? null };
}

console.log(JSON.stringify({
  deltas,
  finish,
  usage,
  nonStream: whole.choices[0].message.content,
  endsWithDone: text.trimEnd().endsWith('data: [DONE]'),
  contentType: raw.headers.get('content-type'),
  notFound,
}));
