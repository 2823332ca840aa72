// The Vercel AI SDK's default OpenAI provider (`openai(model)` speaks the Responses API) against a running acptoapi:
// prints one JSON summary line.
// Usage: node ai-sdk-responses.mjs <baseURL> <textModel> <thinkModel> <toolModel> <prompt> <toolPrompt>
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, stepCountIs, streamText, tool } from 'ai';
import { z } from 'zod';

const [baseURL, textModel, thinkModel, toolModel, prompt, toolPrompt] = process.argv.slice(2);
// The SDK's warnings (e.g. about what it had to leave out of a request) are reported, not printed.
const warnings = [];
globalThis.AI_SDK_LOG_WARNINGS = ({ warnings: list }) => warnings.push(...list.map((w) => w.message ?? w.details ?? w.feature ?? w.type));
const openai = createOpenAI({ baseURL, apiKey: 'none' });

const generated = await generateText({ model: openai(textModel), prompt, maxRetries: 0 });

const streamed = streamText({ model: openai(textModel), prompt, maxRetries: 0 });
const textDeltas = [];
for await (const delta of streamed.textStream) textDeltas.push(delta);

// The model ids here are not OpenAI reasoning models, so reasoning is asked for explicitly (as for any custom id).
const reasoningOptions = { openai: { forceReasoning: true, reasoningEffort: 'low', reasoningSummary: 'auto' } };
const thought = await generateText({ model: openai(thinkModel), prompt, providerOptions: reasoningOptions, maxRetries: 0 });
const thoughtStream = streamText({ model: openai(thinkModel), prompt, providerOptions: reasoningOptions, maxRetries: 0 });
const reasoningDeltas = [];
for await (const part of thoughtStream.fullStream) {
  if (part.type === 'reasoning-delta') reasoningDeltas.push(part.text);
}

// A multi-step tool loop: the tool runs here, in the script, and its result goes back in the next step.
const executed = [];
const tools = {
  get_weather: tool({
    description: 'Weather for a city',
    inputSchema: z.object({ city: z.string() }),
    execute: async ({ city }) => {
      executed.push(city);
      return `rain, 4 C in ${city}`;
    },
  }),
};
const loop = await generateText({ model: openai(toolModel), tools, stopWhen: stepCountIs(5), prompt: toolPrompt, maxRetries: 0 });

// The same loop streamed, with reasoning on and the default store (the SDK then refers to earlier items by id).
const streamedLoop = streamText({
  model: openai(toolModel), tools, stopWhen: stepCountIs(5), prompt: toolPrompt, providerOptions: reasoningOptions, maxRetries: 0,
});
const loopParts = [];
for await (const part of streamedLoop.fullStream) {
  if (['tool-call', 'tool-result', 'finish-step', 'error'].includes(part.type)) loopParts.push(part.type);
  if (part.type === 'error') loopParts.push(String(part.error?.message ?? part.error));
}

// Stateless: store false, so every step sends the whole history (reasoning with its encrypted content).
const stateless = await generateText({
  model: openai(toolModel), tools, stopWhen: stepCountIs(5), prompt: toolPrompt, maxRetries: 0,
  providerOptions: { openai: { ...reasoningOptions.openai, store: false } },
});

const steps = (result) => result.steps.map((s) => s.finishReason);
console.log(JSON.stringify({
  generated: { text: generated.text, finish: generated.finishReason, usage: generated.usage, responseId: generated.response.id },
  streamed: { deltas: textDeltas, text: await streamed.text, finish: await streamed.finishReason, usage: await streamed.usage },
  reasoning: { text: thought.text, reasoning: thought.reasoningText, streamedDeltas: reasoningDeltas, streamedText: await thoughtStream.text },
  loop: { steps: steps(loop), text: loop.text, toolResults: loop.steps.flatMap((s) => s.toolResults.map((r) => r.output)) },
  streamedLoop: { parts: loopParts, steps: (await streamedLoop.steps).map((s) => s.finishReason), text: await streamedLoop.text },
  stateless: { steps: steps(stateless), text: stateless.text },
  executed,
  warnings: [...new Set(warnings)],
}));
