/**
 * E2E harness: the built VSIX installed into a fresh code-server, shown in Debian's Chromium and driven by
 * playwright-core. A scenario is a node:test file `test/e2e/<name>.e2e.ts` that calls `openWorkbench()`
 * and closes it in `after()`; scripts/test-e2e.mjs runs every scenario file, one at a time.
 *
 * Environment (set by scripts/test-e2e.mjs): MCP_HOST_VSIX (the VSIX to install, default
 * mcp-host-<version>.vsix in the repo root), MCP_HOST_CODE_SERVER_VERSION (default: current engine).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { repoRoot } from '../support/repoRoot';

export { repoRoot };

interface CodeServerHandle {
  url: string;
  logFile: string;
  stop(): Promise<void>;
}
interface CodeServerLib {
  startCodeServer(opts: Record<string, unknown>): Promise<CodeServerHandle>;
  installVsix(opts: Record<string, unknown>): Promise<string>;
  workbenchUrl(baseUrl: string, opts: { folder?: string }): string;
  chromiumPath(): string;
  CHROMIUM_ARGS: string[];
}

async function codeServerLib(): Promise<CodeServerLib> {
  // The harness library is plain ESM shared with the scripts; import() keeps it ESM from this CJS output.
  return (await import(pathToFileURL(path.join(repoRoot(), 'scripts/lib/codeServer.mjs')).href)) as CodeServerLib;
}

/** `mcpHost.servers` entries that run the npm reference servers with this machine's node (no npx, no network). */
export function referenceServers(names: ('everything' | 'memory')[] = ['everything']): Record<string, unknown> {
  const root = repoRoot();
  const entries: Record<string, unknown> = {};
  for (const n of names) {
    const entry = n === 'everything' ? 'server-everything/dist/index.js' : 'server-memory/dist/index.js';
    entries[n] = { command: process.execPath, args: [path.join(root, 'node_modules/@modelcontextprotocol', entry), ...(n === 'everything' ? ['stdio'] : [])] };
  }
  return entries;
}

export interface WorkbenchOptions {
  /** Names the run folder and the screenshot folder (test-results/e2e/<name>/). */
  name: string;
  /** User settings merged into the quiet defaults. */
  userSettings?: Record<string, unknown>;
  /** A folder to copy as the workspace (default: an empty folder). */
  workspace?: string;
  /** Files to create in the workspace, by relative path. */
  files?: Record<string, string>;
  /** Keep workspace trust on (the folder then opens restricted). Default false. */
  workspaceTrust?: boolean;
}

export interface Workbench {
  page: Page;
  baseUrl: string;
  workspace: string;
  /** Saves a screenshot as test-results/e2e/<name>/<NN>-<step>.png and returns its path. */
  shot(step: string): Promise<string>;
  /** Runs `fn`, then saves a screenshot named `step` (suffixed -FAILED, and rethrowing, if `fn` throws). */
  step<T>(step: string, fn: () => Promise<T>): Promise<T>;
  /** Runs a command from the palette by its full title, e.g. 'MCP Host: Show Host Log'. */
  runCommand(title: string): Promise<void>;
  /** Opens the MCP Host view container from the activity bar and returns the Servers view's tree rows. */
  openServersView(): Promise<Locator>;
  /** Tree rows of the side bar whose text contains `text`. */
  treeRow(text: string | RegExp): Locator;
  /** Text of the visible editors. */
  editorText(): Promise<string>;
  close(): Promise<void>;
}

export async function openWorkbench(opts: WorkbenchOptions): Promise<Workbench> {
  const root = repoRoot();
  const lib = await codeServerLib();
  const version = process.env.MCP_HOST_CODE_SERVER_VERSION || '4.139.1';
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string };
  const vsix = process.env.MCP_HOST_VSIX ?? path.join(root, `${pkg.name}-${pkg.version}.vsix`);
  if (!fs.existsSync(vsix)) throw new Error(`no VSIX at ${vsix}: run npm run package (scripts/test-e2e.mjs does)`);
  // Tagged per run (MCP_HOST_RUN_TAG, set by scripts/test-e2e.mjs): several runs may share a checkout.
  const runDir = path.join(root, '.vscode-test/runs', `e2e-${opts.name}-${process.env.MCP_HOST_RUN_TAG ?? process.pid}`);
  fs.rmSync(runDir, { recursive: true, force: true });
  const workspace = path.join(runDir, 'workspace');
  if (opts.workspace) fs.cpSync(opts.workspace, workspace, { recursive: true });
  else fs.mkdirSync(workspace, { recursive: true });
  for (const [rel, text] of Object.entries(opts.files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(workspace, rel)), { recursive: true });
    fs.writeFileSync(path.join(workspace, rel), text);
  }
  const userDataDir = path.join(runDir, 'user-data');
  const extensionsDir = path.join(runDir, 'extensions');
  const shots = path.join(root, 'test-results/e2e', opts.name);
  fs.rmSync(shots, { recursive: true, force: true });
  fs.mkdirSync(shots, { recursive: true });

  await lib.installVsix({ version, runDir: path.join(runDir, 'code-server'), vsix, userDataDir, extensionsDir });
  let server: CodeServerHandle | undefined;
  let browser: Browser | undefined;
  try {
    server = await lib.startCodeServer({
      version,
      runDir: path.join(runDir, 'code-server'),
      folder: workspace,
      userDataDir,
      extensionsDir,
      userSettings: opts.userSettings ?? {},
      workspaceTrust: opts.workspaceTrust ?? false,
    });
    browser = await chromium.launch({ executablePath: lib.chromiumPath(), headless: true, args: lib.CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(30_000);
    await page.goto(lib.workbenchUrl(server.url, { folder: workspace }));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    let n = 0;
    const srv = server;
    const b = browser;
    const wb: Workbench = {
      page,
      baseUrl: server.url,
      workspace,
      async shot(step) {
        const file = path.join(shots, `${String(++n).padStart(2, '0')}-${step.replace(/[^\w.-]+/g, '-')}.png`);
        await page.screenshot({ path: file });
        return file;
      },
      async step(name, fn) {
        try {
          const v = await fn();
          await wb.shot(name);
          return v;
        } catch (e) {
          await wb.shot(`${name}-FAILED`).catch(() => undefined);
          throw e;
        }
      },
      async runCommand(title) {
        await page.locator('.monaco-workbench').click({ position: { x: 700, y: 5 } }).catch(() => undefined);
        await page.keyboard.press('F1');
        const input = page.locator('.quick-input-widget input');
        await input.waitFor();
        await input.fill(`>${title}`);
        await page.locator('.quick-input-widget .monaco-list-row', { hasText: title.split(': ').pop() ?? title }).first().waitFor();
        await page.keyboard.press('Enter');
      },
      async openServersView() {
        const icon = page.locator('.part.activitybar [aria-label^="MCP Host"]').first();
        await icon.waitFor({ timeout: 60_000 });
        const sidebar = page.locator('.part.sidebar');
        // With a single view the pane header is hidden and the side bar title reads "MCP Host: Servers".
        const title = sidebar.locator('.composite.title', { hasText: /MCP Host/ }).first();
        // The icon toggles the side bar: click only if the view is not already showing.
        if (!(await title.isVisible().catch(() => false))) await icon.click();
        await title.waitFor();
        return sidebar.locator('.monaco-list-row');
      },
      treeRow(text) {
        return page.locator('.part.sidebar .monaco-list-row', { hasText: text });
      },
      async editorText() {
        return (await page.locator('.editor-group-container .monaco-editor .view-lines').allInnerTexts()).join('\n');
      },
      async close() {
        await b.close().catch(() => undefined);
        await srv.stop();
      },
    };
    return wb;
  } catch (e) {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    throw e;
  }
}
