// Sections "Remote servers" of bench/run.mjs (--only http,sse): MCP Host's engine (createHost with a remote entry,
// as the extension and the CLI run it) against the bare SDK client (StreamableHTTPClientTransport / SSEClientTransport)
// and raw fetch, all on one bench server on 127.0.0.1 (bench/servers/http.mjs, the SDK's server classes), each
// measurement in a fresh bench/httpWorker.mjs process with its own server, repeated round-robin, medians.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const CLIENTS = ['host', 'sdk', 'raw'];

/**
 * Measures and appends the sections and their targets.
 * @param {{ root: string, runs: number, quick: boolean, want: (s: string) => boolean, log: (...a: unknown[]) => void,
 *   median: (xs: number[]) => number | undefined, fmt: (x: number | undefined, d?: number) => string,
 *   ratio: (a: number | undefined, b: number | undefined) => string, table: (h: string[], r: string[][]) => string,
 *   target: (what: string, goal: string, value: string, pass: boolean | undefined) => void, sections: string[] }} ctx
 */
export function httpSections(ctx) {
  const { root, runs, quick, want, log, median, fmt, ratio, table, target, sections } = ctx;

  /** @returns {Record<string, any>} */
  const worker = (spec) => {
    const r = spawnSync(process.execPath, ['--expose-gc', path.join(root, 'bench/httpWorker.mjs'), JSON.stringify(spec)], { cwd: root, encoding: 'utf8', timeout: 180_000 });
    const m = /@@RESULT (.*)/.exec(r.stdout ?? '');
    if (!m) return { failed: `${r.error?.message ?? `exit ${r.status}`}: ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' | ').slice(0, 300)}` };
    return JSON.parse(m[1] ?? '');
  };
  /** Every spec `runs` times, round-robin; per-spec arrays of results. */
  const measure = (label, specs) => {
    const results = specs.map(() => []);
    for (let run = 0; run < runs; run++) {
      specs.forEach((s, i) => {
        log(`  ${label} ${run + 1}/${runs}: ${JSON.stringify(s)}`);
        results[i].push(worker(s));
      });
    }
    return results;
  };
  const med = (res, field) => median(res.map((r) => r[field]));
  const failed = (res) => res.find((r) => r.failed || r.error)?.failed ?? res.find((r) => r.error)?.error;
  /** @param {(number | undefined)[]} pair  a measured value and its baseline */
  const le = ([a, b], goal) => (a === undefined || b === undefined ? undefined : a / b <= goal);
  /** @param {(number | undefined)[]} pair */
  const rat = ([a, b]) => ratio(a, b);

  /** Echo p50/CPU, 50 MiB and setup for one transport variant; returns the per-client results by measurement. */
  const transportRows = (variant) => {
    const calls = quick ? 1000 : 3000;
    const echo = measure(`${variant.name} echo`, CLIENTS.map((client) => ({ scenario: 'echo', client, calls, warmup: quick ? 300 : 3000, pin: true, ...variant.spec })));
    const big = measure(`${variant.name} 50 MiB`, CLIENTS.map((client) => ({ scenario: 'big', client, mib: 50, ...variant.spec })));
    const setup = measure(`${variant.name} setup`, CLIENTS.map((client) => ({ scenario: 'setup', client, ...variant.spec })));
    const [hE, sE] = echo;
    const rows = CLIENTS.map((c, i) => {
      const okBig = big[i].every((r) => r.ok);
      return [
        c,
        fmt(med(echo[i], 'p50us')),
        fmt(med(echo[i], 'clientCpuUs'), 1),
        fmt(med(echo[i], 'serverCpuUs'), 1),
        ratio(med(echo[i], 'p50us'), med(sE, 'p50us')),
        ratio(med(echo[i], 'clientCpuUs'), med(sE, 'clientCpuUs')),
        okBig ? fmt(med(big[i], 'ms')) : `fails: ${(failed(big[i]) ?? '').replace(/\|/g, '/').slice(0, 60)}`,
        okBig ? ratio(med(big[i], 'ms'), med(big[2], 'ms')) : '–',
        fmt(med(big[i], 'peakMiB')),
        fmt(med(setup[i], 'firstMs'), 1),
        fmt(med(setup[i], 'ms'), 1),
        ratio(med(setup[i], 'ms'), med(setup[1], 'ms')),
        (failed(echo[i]) ?? failed(setup[i]) ?? '').replace(/\|/g, '/').slice(0, 80),
      ];
    });
    return { rows, echo: { host: hE, sdk: sE }, big: { host: big[0], raw: big[2] }, setup: { host: setup[0], sdk: setup[1] } };
  };
  const headers = ['client', 'echo p50 µs', 'client CPU µs/call', 'server CPU µs/call', 'p50 vs sdk', 'client CPU vs sdk', '50 MiB ms', '50 MiB vs raw', '50 MiB peak RSS MiB', 'setup ms (first)', 'setup ms (then, median)', 'setup vs sdk', 'note'];
  const clientNote =
    '`host` = MCP Host\'s engine (createHost with a remote entry: McpServer → McpConnection → SDK Client → src/core/transport/http or sse); `sdk` = bare SDK `Client` with its own transport; `raw` = fetch only (a POST per request; the legacy transport\'s event stream parsed by hand). Echo: sequential tools/call after 3,000 warm-up calls (steady state), client and server pinned to one CPU with taskset; CPU from process.cpuUsage (client) and /proc schedstat (server, ns, all its threads). 50 MiB: one tool result of 50 MiB of text (a second call, after the server built its string). Setup: initialize → tools listed (host: its start, which lists prompts and resources too), a new connection 21 times in one process (host: one host for the process, as in the editor, each connection a start of its configured server and closed by its stop); "first" is the first (lazy code paths; the host probes the protocol era with `server/discover` before `initialize`, then remembers it as the editor does), "then" the median of the other 20.';

  if (want('http')) {
    log('remote: Streamable HTTP...');
    const json = transportRows({ name: 'http', spec: { transport: 'http' } });
    const sseAnswers = transportRows({ name: 'http (SSE answers)', spec: { transport: 'http', sseAnswers: true } });
    sections.push(
      `## Remote server: Streamable HTTP (127.0.0.1)\n\n${clientNote}\n\nThe server answers each POST with one JSON body (\`enableJsonResponse\`):\n\n` +
        table(headers, json.rows) +
        `\n\nThe same server answering each POST with an SSE stream (the SDK server's default; raw reads the stream's one \`data:\` line):\n\n` +
        table(headers, sseAnswers.rows),
    );
    const p = (r) => [med(r.echo.host, 'p50us'), med(r.echo.sdk, 'p50us')];
    const c = (r) => [med(r.echo.host, 'clientCpuUs'), med(r.echo.sdk, 'clientCpuUs')];
    target('HTTP per-call p50 vs bare SDK (JSON answers)', '≤ 1.10x', rat(p(json)), le(p(json), 1.1));
    target('HTTP per-call client CPU vs bare SDK (JSON answers)', '≤ 1.10x', rat(c(json)), le(c(json), 1.1));
    target('HTTP per-call p50 vs bare SDK (SSE answers)', '≤ 1.10x', rat(p(sseAnswers)), le(p(sseAnswers), 1.1));
    target('HTTP per-call client CPU vs bare SDK (SSE answers)', '≤ 1.10x', rat(c(sseAnswers)), le(c(sseAnswers), 1.1));
    const bigOk = json.big.host.every((r) => r.ok);
    const b = [med(json.big.host, 'ms'), med(json.big.raw, 'ms')];
    target('HTTP 50 MiB tool result vs raw fetch', '≤ 2x', bigOk ? rat(b) : 'failed', bigOk ? le(b, 2) : false);
    const s = [med(json.setup.host, 'ms'), med(json.setup.sdk, 'ms')];
    target('HTTP connection setup to tools listed vs bare SDK', '(no goal in #12)', rat(s), undefined);
  }
  if (want('sse')) {
    log('remote: legacy HTTP+SSE...');
    const sse = transportRows({ name: 'sse', spec: { transport: 'sse' } });
    sections.push(`## Remote server: legacy HTTP+SSE (127.0.0.1)\n\nSame clients and measurements as above (\`type: sse\`; the SDK's \`SSEClientTransport\`).\n\n` + table(headers, sse.rows));
    const p = [med(sse.echo.host, 'p50us'), med(sse.echo.sdk, 'p50us')];
    target('SSE per-call p50 vs bare SDK', '(≤ 1.10x)', rat(p), le(p, 1.1));
    const bigOk = sse.big.host.every((r) => r.ok);
    const b = [med(sse.big.host, 'ms'), med(sse.big.raw, 'ms')];
    target('SSE 50 MiB tool result vs raw fetch', '(≤ 2x)', bigOk ? rat(b) : 'failed', bigOk ? le(b, 2) : false);
  }
}
