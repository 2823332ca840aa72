// The official `openai` npm package's Responses API (`client.responses`) against a running acptoapi:
// prints one JSON summary line.
// Usage: node openai-responses.mjs <baseURL> <textModel> <thinkModel> <toolModel> <prompt> <toolPrompt>
import OpenAI from 'openai';

const [baseURL, textModel, thinkModel, toolModel, prompt, toolPrompt] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey: 'none', maxRetries: 0 });

// Whole, with instructions and metadata read back.
const whole = await client.responses.create({ model: textModel, instructions: 'Answer plainly.', input: prompt, metadata: { run: 'node' } });

// Streamed, raw events: their order and sequence numbers, as the SDK parsed them.
const events = [];
const textDeltas = [];
const reasoningDeltas = [];
let completed = null;
const stream = await client.responses.create({ model: thinkModel, input: prompt, stream: true, reasoning: { effort: 'low', summary: 'auto' } });
for await (const event of stream) {
  events.push({ type: event.type, seq: event.sequence_number });
  if (event.type === 'response.output_text.delta') textDeltas.push(event.delta);
  if (event.type === 'response.reasoning_summary_text.delta') reasoningDeltas.push(event.delta);
  if (event.type === 'response.completed') completed = event.response;
}

// A function-call round trip: streamed through the SDK's stream helper (which checks the events add up), then
// continued once by previous_response_id and once statelessly (store: false, the whole history sent back).
const tools = [{
  type: 'function',
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  strict: false,
}];
const callStream = client.responses.stream({ model: toolModel, input: toolPrompt, tools });
const argumentDeltas = [];
callStream.on('response.function_call_arguments.delta', (e) => argumentDeltas.push(e.delta));
const first = await callStream.finalResponse();
const call = first.output.find((item) => item.type === 'function_call');
const output = { type: 'function_call_output', call_id: call.call_id, output: 'rain, 4 C' };
const byId = await client.responses.create({ model: toolModel, previous_response_id: first.id, input: [output], tools });
const stateless = await client.responses.create({
  model: toolModel,
  store: false,
  input: [{ role: 'user', content: toolPrompt }, ...first.output, output],
  tools,
});

const retrieved = await client.responses.retrieve(byId.id);
await client.responses.delete(byId.id);
let afterDelete = null;
try {
  await client.responses.retrieve(byId.id);
} catch (e) {
  afterDelete = e.status;
}

let unknownPrevious = null;
try {
  await client.responses.create({ model: textModel, previous_response_id: 'resp_nope', input: 'hi' });
} catch (e) {
  unknownPrevious = { status: e.status, code: e.code ?? null, param: e.param ?? null };
}

console.log(JSON.stringify({
  whole: { text: whole.output_text, status: whole.status, id: whole.id, instructions: whole.instructions, metadata: whole.metadata, usage: whole.usage },
  streamed: {
    types: events.map((e) => e.type),
    sequence: events.map((e) => e.seq),
    textDeltas,
    reasoningDeltas,
    text: completed?.output_text ?? completed?.output?.filter((i) => i.type === 'message').map((i) => i.content[0].text).join(''),
    outputTypes: completed?.output.map((i) => i.type),
    encryptedContent: completed?.output.find((i) => i.type === 'reasoning')?.encrypted_content ?? null,
    usage: completed?.usage,
  },
  tool: {
    argumentDeltas,
    name: call.name,
    arguments: call.arguments,
    callId: call.call_id,
    byId: byId.output_text,
    byIdPrevious: byId.previous_response_id,
    stateless: stateless.output_text,
    retrieved: retrieved.output_text,
    afterDelete,
  },
  unknownPrevious,
}));
