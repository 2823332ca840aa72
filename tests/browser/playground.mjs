// Drives the playground page (GET /) in Debian's chromium through playwright-core and prints what it saw as JSON.
// Usage: node playground.mjs <scenario> <server> <artifactDir> [arguments…]
//   stream <protocol> <model> <prompt>   one streamed request; the trace proves the content pane grew before the end
//   error <protocol> <model>…            requests that fail (before the first frame or in the stream), one after another
//   apikey <key> <model> <prompt>        the page with no key typed, then with the server's key
//   stop <model> <prompt>                stop pressed while the answer streams
// The browser is the machine's (/usr/bin/chromium, or $ACPTOAPI_CHROMIUM); this script never downloads one.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [scenario, server, artifactDir, ...args] = process.argv.slice(2);
const ENDED = 'body[data-state="done"], body[data-state="error"], body[data-state="stopped"]';

const scenarios = {
  async stream(page, protocol, model, prompt) {
    const suggestions = await chooseProtocol(page, protocol);
    await page.fill('#model', model);
    await page.fill('#prompt', prompt);
    await page.check('#tool');
    await traceContent(page);
    await page.click('#go');
    await page.waitForSelector(ENDED);
    const result = { suggestions, ...(await readPage(page)), ...(await readTrace(page)) };
    mkdirSync(artifactDir, { recursive: true });
    result.screenshot = join(artifactDir, `playground-${protocol}.png`);
    await page.screenshot({ path: result.screenshot, fullPage: true });
    return result;
  },

  async error(page, protocol, ...models) {
    await chooseProtocol(page, protocol);
    const runs = [];
    for (const model of models) {
      await page.fill('#model', model);
      await page.click('#go');
      await page.waitForSelector('#go:not([disabled])');
      runs.push({ model, ...(await readPage(page)) });
    }
    return { runs };
  },

  async apikey(page, key, model, prompt) {
    // No key typed yet: the page is there, the model list says why it cannot be read, a request answers 401.
    await page.waitForSelector('#modelsStatus[data-state="error"]');
    const withoutKey = { modelsStatus: await page.textContent('#modelsStatus') };
    await page.fill('#model', model);
    await page.fill('#prompt', prompt);
    await page.click('#go');
    await page.waitForSelector(ENDED);
    Object.assign(withoutKey, await readPage(page));

    await page.fill('#key', key);
    await page.waitForSelector('#modelsStatus[data-state="ok"]');
    const suggestions = await readSuggestions(page);
    await page.click('#go');
    await page.waitForSelector(ENDED);
    return { withoutKey, withKey: { suggestions, modelsStatus: await page.textContent('#modelsStatus'), ...(await readPage(page)) } };
  },

  async stop(page, model, prompt) {
    await page.waitForSelector('#modelsStatus[data-state="ok"]');
    await page.fill('#model', model);
    await page.fill('#prompt', prompt);
    await page.click('#go');
    // Stop once some of the answer is on screen, while it still streams.
    await page.waitForFunction(() => document.body.dataset.state === 'streaming'
      && document.getElementById('content').textContent.length > 0);
    const contentWhenStopped = await page.textContent('#content');
    await page.click('#stop');
    await page.waitForSelector(ENDED);
    return { contentWhenStopped, ...(await readPage(page)), stopDisabled: await page.isDisabled('#stop') };
  },
};

async function chooseProtocol(page, protocol) {
  await page.waitForSelector('#modelsStatus[data-state="ok"], #modelsStatus[data-state="error"]');
  // Changing the protocol reads that protocol's own model list (marked "loading" at once, then ok or error).
  await page.selectOption('#protocol', protocol);
  await page.waitForSelector('#modelsStatus[data-state="ok"], #modelsStatus[data-state="error"]');
  return readSuggestions(page);
}

function readSuggestions(page) {
  return page.$$eval('#models option', (options) => options.map((o) => o.value));
}

function readPage(page) {
  return page.evaluate(() => {
    const text = (id) => document.getElementById(id).textContent;
    return {
      state: document.body.dataset.state,
      stateText: text('stateText'),
      httpStatus: text('httpStatus'),
      finish: text('finish'),
      usage: text('usage'),
      firstFrame: text('firstFrame'),
      total: text('total'),
      frameCount: Number(text('frameCount')),
      error: text('error'),
      content: text('content'),
      reasoning: text('reasoning'),
      tools: [...document.querySelectorAll('#tools .call')].map((call) => ({
        name: call.querySelector('.name').textContent,
        id: call.querySelector('.id').textContent,
        arguments: call.querySelector('.args').textContent,
      })),
      raw: text('raw'),
      rawLabel: text('rawLabel'),
      modelsStatus: text('modelsStatus'),
    };
  });
}

// Records (state, content) each time the content pane or the page's state changes, in the order it happened.
function traceContent(page) {
  return page.evaluate(() => {
    window.playgroundTrace = [];
    const record = () => window.playgroundTrace.push({
      state: document.body.dataset.state,
      content: document.getElementById('content').textContent,
    });
    new MutationObserver(record).observe(document.getElementById('content'), { childList: true, characterData: true, subtree: true });
    new MutationObserver(record).observe(document.body, { attributes: true, attributeFilter: ['data-state'] });
  });
}

async function readTrace(page) {
  const trace = await page.evaluate(() => window.playgroundTrace);
  const streaming = trace.filter((t) => t.state === 'streaming' && t.content.length > 0).map((t) => t.content);
  return {
    // The first content seen on screen while the page still said "streaming", and how many distinct contents it showed so.
    firstPartialContent: streaming[0] ?? null,
    partialContents: new Set(streaming).size,
    statesInOrder: trace.map((t) => t.state).filter((s, i, all) => i === 0 || all[i - 1] !== s),
  };
}

const browser = await chromium.launch({
  executablePath: process.env.ACPTOAPI_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  // Playwright gives every launch a fresh profile directory. Without the background-networking flags chromium
  // keeps dialling Google's hosts, which a closed network refuses.
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const pageErrors = [];
const requests = [];
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(45_000);
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  // Every request the page makes, to show it needs nothing but the server it came from.
  page.on('request', (request) => requests.push(request.url()));
  const response = await page.goto(server + '/');
  const result = { pageStatus: response.status(), title: await page.title() };
  Object.assign(result, await scenarios[scenario](page, ...args));
  result.pageErrors = pageErrors;
  result.foreignRequests = requests.filter((url) => !url.startsWith(server + '/'));
  process.stdout.write(JSON.stringify(result));
} finally {
  await browser.close();
}
