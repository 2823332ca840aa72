// The OpenAI Agents SDK (`@openai/agents`) with its default model class (the Responses API) against a running
// acptoapi: an agent with a function tool that runs here, streamed and not, then a follow-up by previous_response_id.
// Tracing is off and the only client is the gateway's, so nothing leaves the machine. Prints one JSON summary line.
// Usage: node agents-sdk.mjs <baseURL> <model> <prompt>
import { Agent, run, setDefaultOpenAIClient, setTracingDisabled, tool } from '@openai/agents';
import OpenAI from 'openai';
import { z } from 'zod';

const [baseURL, model, prompt] = process.argv.slice(2);
setTracingDisabled(true);
const requests = [];
setDefaultOpenAIClient(new OpenAI({
  baseURL,
  apiKey: 'none',
  maxRetries: 0,
  fetch: async (url, init) => {
    requests.push(new URL(url).pathname);
    return fetch(url, init);
  },
}));

const executed = [];
const getWeather = tool({
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }) => {
    executed.push(city);
    return `rain, 4 C in ${city}`;
  },
});
const agent = new Agent({ name: 'Weather agent', instructions: 'Use get_weather, then answer.', model, tools: [getWeather] });

const items = (result) => result.newItems.map((item) => item.type);
const whole = await run(agent, prompt);

const streamed = await run(agent, prompt, { stream: true });
const textDeltas = [];
for await (const event of streamed) {
  if (event.type === 'raw_model_stream_event' && event.data.type === 'output_text_delta') textDeltas.push(event.data.delta);
}
await streamed.completed;

const followUp = await run(agent, 'And tomorrow?', { previousResponseId: whole.lastResponseId });

console.log(JSON.stringify({
  whole: { output: whole.finalOutput, items: items(whole), lastResponseId: whole.lastResponseId },
  streamed: { output: streamed.finalOutput, items: items(streamed), textDeltas },
  followUp: { output: followUp.finalOutput, items: items(followUp) },
  executed,
  requests,
}));
