// Section "One-shot command line" of bench/run.mjs (--only cli): `mcp-host tools` as a user runs it (a fresh
// process: start Node, load the CLI, spawn server-everything, initialize, list, stop the server, exit) against the
// same one-shot on the bare SDK (bench/oneshot-sdk.mjs), over a raw pipe (bench/oneshot-raw.mjs: the floor, mostly
// server-everything's own start) and the MCP Inspector's CLI
// (`inspector --cli COMMAND ARGS --method tools/list`, the devDependency @modelcontextprotocol/inspector), in one
// run, round-robin. Every row runs on the Node that runs the bench.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** The Inspector's launcher script and version, or undefined when the package is not installed. */
function inspector() {
  try {
    const pkgFile = require.resolve('@modelcontextprotocol/inspector/package.json');
    const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
    const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.inspector ?? pkg.bin?.['mcp-inspector'];
    return bin ? { script: path.join(path.dirname(pkgFile), bin), version: pkg.version, engines: pkg.engines?.node } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Measures and appends the section and its targets.
 * @param {{ root: string, tmp: string, distDir: string, runs: number, log: (...a: unknown[]) => void,
 *   median: (xs: number[]) => number | undefined, fmt: (x: number | undefined, d?: number) => string,
 *   ratio: (a: number | undefined, b: number | undefined) => string, table: (h: string[], r: string[][]) => string,
 *   target: (what: string, goal: string, value: string, pass: boolean | undefined) => void, sections: string[] }} ctx
 */
export function oneShotSection(ctx) {
  const { root, tmp, distDir, runs, log, median, fmt, ratio, table, target, sections } = ctx;
  log('one-shot command line...');
  const everything = [process.execPath, path.join(root, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js')];
  const insp = inspector();
  const variants = [
    { label: 'mcp-host tools (dist/cli.js)', args: [path.join(distDir, 'cli.js'), 'tools', '--', ...everything] },
    { label: 'bare SDK one-shot (bench/oneshot-sdk.mjs)', args: [path.join(root, 'bench/oneshot-sdk.mjs'), ...everything] },
    { label: 'raw pipe one-shot (bench/oneshot-raw.mjs)', args: [path.join(root, 'bench/oneshot-raw.mjs'), ...everything] },
  ];
  if (insp) variants.push({ label: `MCP Inspector ${insp.version} CLI (\`--cli ... --method tools/list\`)`, args: [insp.script, '--cli', ...everything, '--method', 'tools/list'] });
  /** @type {number[][]} */
  const wall = variants.map(() => []);
  let listed;
  for (let run = 0; run < runs; run++) {
    variants.forEach((v, i) => {
      log(`  cli ${run + 1}/${runs}: ${v.label}`);
      const t0 = performance.now();
      const r = spawnSync(process.execPath, v.args, { cwd: tmp, encoding: 'utf8', timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
      const ms = performance.now() - t0;
      if (r.status === 0) wall[i]?.push(ms);
      else log(`    failed: exit ${r.status}: ${(r.stderr ?? '').trim().slice(0, 300)}`);
      if (i === 0) listed = (r.stdout ?? '').split('\n').filter(Boolean).length;
    });
  }
  const ours = median(wall[0] ?? []);
  const sdk = median(wall[1] ?? []);
  const raw = median(wall[2] ?? []);
  const theirs = insp ? median(wall[3] ?? []) : undefined;
  const rows = variants.map((v, i) => [v.label, fmt(median(wall[i] ?? [])), ratio(median(wall[i] ?? []), sdk), ratio(median(wall[i] ?? []), ours), String(wall[i]?.length ?? 0)]);
  if (!insp) rows.push(['MCP Inspector CLI', 'not installed (devDependency @modelcontextprotocol/inspector)', '–', '–', '0']);
  const inspNote = insp
    ? ` The Inspector runs its launcher script directly (\`npx\` would add its own start); its package asks for Node ${insp.engines ?? '?'} but runs on this one (the bench's Node, the same for every row).`
    : '';
  sections.push(
    `## One-shot command line (server-everything, ${listed ?? '?'} tools)\n\nWall time of a whole process, spawn to exit: Node start, loading the client, spawning server-everything, initialize, tools/list, stopping the server. \`mcp-host\` also lists resources, templates and prompts (the engine's start) and stops the server 100 ms after closing its stdin (server-everything ignores EOF: it gets SIGTERM); the SDK's close() waits 2 s before its SIGTERM.${inspNote}\n\n` +
      table(['client', 'wall ms (median)', 'vs bare SDK', 'vs mcp-host', 'runs ok'], rows) +
      `\n\nmcp-host above the raw pipe: ${fmt(ours !== undefined && raw !== undefined ? ours - raw : undefined)} ms.`,
  );
  target('one-shot `mcp-host tools` on server-everything', '<= 500 ms', `${fmt(ours)} ms`, ours === undefined ? undefined : ours <= 500);
  target(
    'one-shot `mcp-host tools` vs the Inspector CLI',
    '≥ 5x faster',
    theirs !== undefined && ours ? `${(theirs / ours).toFixed(1)}x faster` : 'Inspector not measured',
    theirs !== undefined && ours ? theirs / ours >= 5 : undefined,
  );
}
