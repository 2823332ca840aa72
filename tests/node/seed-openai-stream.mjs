// The README's "drop-in openai sdk" example, parameterised: node seed-openai-stream.mjs <baseURL> <model> <prompt>
// Prints the streamed content to stdout, exactly as the example does.
import OpenAI from 'openai';

const [baseURL, model, prompt] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey: 'none' });
const stream = await client.chat.completions.create({
  model,
  messages: [{ role: 'user', content: prompt }],
  stream: true,
});
for await (const c of stream) process.stdout.write(c.choices[0]?.delta?.content || '');
