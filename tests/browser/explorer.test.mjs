// End-to-end test of `dnsrace explore` in a real browser (Debian's headless Chromium,
// driven by playwright-core), and a render check of the docs' Mermaid diagrams.
//
// 1. Starts `dnsrace explore outage --addr 127.0.0.1:<free port>` and waits for the line
//    that links the counterexample to "endpoint record never empty".
// 2. Opens that link in Chromium and checks that the page shows the violated property
//    and a final state whose regional endpoint resolves to no address; saves a screenshot.
// 3. Opens the initial state and checks that the same checks fail there, so that they can
//    tell a violation from its absence.
// 4. Renders every ```mermaid block of docs/*.md with mermaid.js in the same browser.
//
// Usage: node tests/browser/explorer.test.mjs --dnsrace PATH [--screenshot PATH...]
// (scripts/browser-test.sh installs what this needs and runs it). Exits 1 on failure.

import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const PROPERTY = 'endpoint record never empty';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// As the machine notes say: without the background-networking flags Chromium keeps
// trying to reach Google's hosts, which a closed network refuses.
const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

function parseArgs(argv) {
  const args = { dnsrace: join(ROOT, 'target', 'release', 'dnsrace'), screenshots: [] };
  for (let i = 0; i < argv.length; i++) {
    switch (argv[i]) {
      case '--dnsrace': args.dnsrace = resolve(argv[++i]); break;
      case '--screenshot': args.screenshots.push(resolve(argv[++i])); break;
      default: throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  return args;
}

const started = Date.now();
const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
const log = (message) => console.log(`[${seconds()}s] ${message}`);

/** A port nobody listens on now, on loopback. */
function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** Starts `dnsrace explore` and resolves with its links once it says it is serving. */
function startExplorer(dnsrace, port) {
  const child = spawn(dnsrace, ['explore', 'outage', '--addr', `127.0.0.1:${port}`], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const ready = new Promise((resolveReady, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`dnsrace explore did not start within 180 s:\n${stdout}\n${stderr}`)),
      180_000,
    );
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (/^Serving the explorer/m.test(stdout)) {
        clearTimeout(timer);
        resolveReady(stdout);
      }
    });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`dnsrace explore exited with ${code}:\n${stdout}\n${stderr}`));
    });
  });
  return { child, ready };
}

/** Waits until the explorer answers HTTP. */
async function waitForHttp(base) {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      const response = await fetch(`${base}.status`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the explorer at ${base} never answered`);
}

/** The text of the page's "Current State" pane and of the whole page. */
async function pageTexts(page) {
  return page.evaluate(() => ({
    body: document.body.innerText,
    pane: [...document.querySelectorAll('.main-flex-right .font-code')]
      .map((element) => element.innerText)
      .join('\n'),
  }));
}

/** What a page showing the counterexample must show; returns the failed checks. */
function violationChecks(texts, states) {
  const failures = [];
  const expect = (ok, what) => { if (!ok) failures.push(what); };
  expect(new RegExp(`VIOLATED\\s+${PROPERTY}`).test(texts.pane),
    `the state pane says "VIOLATED  ${PROPERTY}"`);
  expect(/regional \(dynamodb\.us-east-1\.amazonaws\.com\): resolves to NO ADDRESS/.test(texts.pane),
    'the state pane says the regional endpoint resolves to NO ADDRESS');
  expect(texts.body.includes(PROPERTY), `the page names the property "${PROPERTY}"`);
  expect(texts.pathLength === states,
    `the path of actions has ${states} states (it has ${texts.pathLength})`);
  return failures;
}

async function openSteps(page, url) {
  await page.goto(url);
  // The Explorer loads the path one step at a time; the pane fills in at the end.
  await page.waitForFunction(
    () => /Properties:/.test(document.querySelector('.main-flex-right')?.innerText ?? '')
      || /Planner/.test(document.querySelector('.main-flex-right svg')?.textContent ?? ''),
    null,
    { timeout: 60_000 },
  );
  const texts = await pageTexts(page);
  // Pre-init is the first entry of the Explorer's path list.
  texts.pathLength = (await page.locator('ol.path-list > li').count()) - 1;
  return texts;
}

/** Renders every ```mermaid block of docs/*.md; returns the failures. */
async function renderMermaid(page) {
  const failures = [];
  const docs = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort();
  await page.setContent('<!DOCTYPE html><html><body></body></html>');
  await page.addScriptTag({ path: join(HERE, 'node_modules', 'mermaid', 'dist', 'mermaid.min.js') });
  let count = 0;
  for (const doc of docs) {
    const text = readFileSync(join(ROOT, 'docs', doc), 'utf8');
    for (const match of text.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)) {
      count++;
      const source = match[1];
      const arrows = source.split('\n').filter((line) => /->>/.test(line)).length;
      const result = await page.evaluate(async ({ source, id }) => {
        try {
          window.mermaid.initialize({ startOnLoad: false });
          const { svg } = await window.mermaid.render(id, source);
          const holder = document.createElement('div');
          holder.innerHTML = svg;
          return { messages: holder.querySelectorAll('.messageText').length };
        } catch (error) {
          return { error: String(error && error.message || error) };
        }
      }, { source, id: `diagram${count}` });
      if (result.error) {
        failures.push(`docs/${doc}: a mermaid diagram does not render: ${result.error}`);
      } else if (result.messages !== arrows) {
        failures.push(`docs/${doc}: a mermaid diagram renders ${result.messages} messages, not ${arrows}`);
      } else {
        log(`docs/${doc}: mermaid diagram ${count} renders (${arrows} messages)`);
      }
    }
  }
  if (count === 0) failures.push('no ```mermaid block found in docs/*.md');
  return failures;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const port = await freePort();
  log(`starting dnsrace explore outage on 127.0.0.1:${port}`);
  const { child, ready } = startExplorer(args.dnsrace, port);
  const profile = mkdtempSync(join(tmpdir(), 'dnsrace-chromium-'));
  let context;
  try {
    const stdout = await ready;
    const link = stdout.match(
      new RegExp(`^Counterexample to "${PROPERTY}" \\((\\d+) states\\): (http://\\S+)$`, 'm'),
    );
    if (!link) throw new Error(`no link to a counterexample of "${PROPERTY}" in:\n${stdout}`);
    const [, states, url] = link;
    if (!url.startsWith(`http://127.0.0.1:${port}/#/steps/`)) {
      throw new Error(`the link does not open the explorer's steps on loopback: ${url}`);
    }
    log(`counterexample of ${states} states: ${url}`);
    await waitForHttp(`http://127.0.0.1:${port}/`);

    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1500, height: 1000 },
    });
    const page = context.pages()[0] ?? await context.newPage();

    const texts = await openSteps(page, url);
    const failures = violationChecks(texts, Number(states));
    for (const path of args.screenshots) {
      mkdirSync(dirname(path), { recursive: true });
      await page.screenshot({ path, fullPage: true });
      log(`screenshot: ${path}`);
    }
    if (failures.length > 0) {
      throw new Error(`the counterexample page does not show the violation:\n  - ${failures.join('\n  - ')}\n--- state pane:\n${texts.pane}`);
    }
    log('the counterexample page shows the violated property and the empty regional endpoint');

    // The same checks must fail where there is no violation: the initial state.
    const initial = await openSteps(page, `http://127.0.0.1:${port}/#/steps/0`);
    const initialFailures = violationChecks(initial, 1);
    if (!initialFailures.some((f) => f.includes('NO ADDRESS'))
        || !initialFailures.some((f) => f.includes('VIOLATED'))) {
      throw new Error(`the checks pass on the initial state too, so they prove nothing:\n${initial.pane}`);
    }
    log('the same checks fail on the initial state, as they must');

    const mermaidFailures = await renderMermaid(page);
    if (mermaidFailures.length > 0) throw new Error(mermaidFailures.join('\n'));
  } finally {
    if (context) await context.close();
    child.kill('SIGTERM');
    rmSync(profile, { recursive: true, force: true });
  }
  log('browser test passed');
}

main().catch((error) => {
  console.error(`browser test FAILED after ${seconds()}s: ${error.message}`);
  process.exit(1);
});
