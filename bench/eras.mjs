// Section "Echo round trip by protocol era" of bench/run.mjs (--only eras): MCP Host in the legacy era (initialize)
// and the modern one (2026-07-28), each against two servers of both eras:
//   dual        bench/servers/dual.mjs, the v2 SDK (@modelcontextprotocol/server): the real-world server, which does
//               more work per modern request than per legacy one (the raw-pipe rows show how much);
//   erasMinimal bench/servers/eras-minimal.mjs, hand-written newline JSON-RPC with the same work per call in both
//               eras: the like-for-like server, against which the era ratio measures the client.
// Per server one bench/worker.mjs process (scenario eras) runs the host and the raw pipe in both eras, interleaved
// in ABBA blocks, pinned to one CPU; the bare SDK (legacy era; its client CPU is the base of the CPU ratio) runs in
// its own worker on the same server. Workers are repeated round-robin (--runs), medians reported.

const SERVERS = [
  { key: 'erasMinimal', label: 'minimal (hand-written, same work per era)' },
  { key: 'dual', label: 'v2 SDK (@modelcontextprotocol/server)' },
];
const VARIANTS = [
  { key: 'host:legacy', label: 'host, legacy era (initialize; SDK session)' },
  { key: 'host:modern', label: 'host, modern era (2026-07-28; own JSON-RPC session)' },
  { key: 'raw:legacy', label: "raw pipe, legacy era (the host's request shapes)" },
  { key: 'raw:modern', label: "raw pipe, modern era (the host's request shapes)" },
  { key: 'sdk', label: 'bare SDK (legacy era, own worker)' },
];

/**
 * Measures and appends the section and its targets.
 * @param {{ quick: boolean, log: (...a: unknown[]) => void, fmt: (x: number | undefined, d?: number) => string,
 *   ratio: (a: number | undefined, b: number | undefined) => string, table: (h: string[], r: string[][]) => string,
 *   target: (what: string, goal: string, value: string, pass: boolean | undefined) => void, sections: string[],
 *   measure: (label: string, specs: object[]) => Record<string, any>[][],
 *   med: (runs: Record<string, any>[], field: string) => number | undefined }} ctx
 */
export function erasSection(ctx) {
  const { quick, log, fmt, ratio, table, target, sections, measure, med } = ctx;
  log('echo round trip by protocol era...');
  const calls = quick ? 1000 : 3000;
  const warmup = quick ? 300 : 3000;
  const specs = SERVERS.flatMap((s) => [
    { scenario: 'eras', server: s.key, calls, warmup, pin: true },
    { scenario: 'echo', client: 'sdk', server: s.key, calls, warmup, pin: true },
  ]);
  const measured = measure('eras', specs);
  const allPinned = measured.every((runs) => runs.every((r) => r.pinned));

  /**
   * Per server: the runs of every variant, in VARIANTS order and by name (failed runs carry `failed`).
   * @typedef {Record<string, any>[]} Runs
   * @returns {{ all: Runs[], legacy: Runs, modern: Runs, rawLegacy: Runs, rawModern: Runs, sdk: Runs }}
   */
  const resultsOf = (si) => {
    const both = measured[2 * si] ?? [];
    const sdk = measured[2 * si + 1] ?? [];
    const of = (key) => both.map((r) => r[key] ?? { failed: r.failed });
    const [legacy, modern, rawLegacy, rawModern] = [of('host:legacy'), of('host:modern'), of('raw:legacy'), of('raw:modern')];
    return { all: [legacy, modern, rawLegacy, rawModern, sdk], legacy, modern, rawLegacy, rawModern, sdk };
  };
  const byServer = SERVERS.map((_, si) => resultsOf(si));

  const rows = [];
  const summary = [];
  SERVERS.forEach((s, si) => {
    const { all, legacy, modern, rawLegacy, rawModern, sdk } = resultsOf(si);
    VARIANTS.forEach((v, i) => {
      const runs = all[i] ?? [];
      const base = i === 2 || i === 3 ? rawLegacy : legacy;
      rows.push([
        s.key,
        v.label,
        fmt(med(runs, 'p50us')),
        fmt(med(runs, 'p99us')),
        fmt(med(runs, 'clientCpuUs'), 1),
        fmt(med(runs, 'serverCpuUs'), 1),
        i < 4 ? ratio(med(runs, 'p50us'), med(base, 'p50us')) : '–',
        ratio(med(runs, 'clientCpuUs'), med(sdk, 'clientCpuUs')),
      ]);
    });
    const d = (a, b, f) => {
      const [x, y] = [med(a, f), med(b, f)];
      return fmt(x === undefined || y === undefined ? undefined : x - y, 1);
    };
    summary.push([
      s.label,
      ratio(med(modern, 'p50us'), med(legacy, 'p50us')),
      ratio(med(rawModern, 'p50us'), med(rawLegacy, 'p50us')),
      `${d(modern, legacy, 'p50us')} / ${d(rawModern, rawLegacy, 'p50us')}`,
      `${d(legacy, rawLegacy, 'p50us')} / ${d(modern, rawModern, 'p50us')}`,
      `${d(modern, legacy, 'clientCpuUs')} / ${d(rawModern, rawLegacy, 'clientCpuUs')}`,
      `${d(modern, legacy, 'serverCpuUs')} / ${d(rawModern, rawLegacy, 'serverCpuUs')}`,
    ]);
  });

  sections.push(
    `## Echo round trip by protocol era\n\n` +
      `Two servers of both eras: \`erasMinimal\` (bench/servers/eras-minimal.mjs) is newline JSON-RPC written by hand that does the same work for a call in either era (the modern answer adds \`resultType: "complete"\`, as 2026-07-28 results carry it), so the era ratio against it measures the client; \`dual\` (bench/servers/dual.mjs) is the v2 SDK server, the real-world one, which spends more CPU on a modern request than on a legacy one (server CPU column; its modern results also carry serverInfo in \`_meta\`). ` +
      `A stdio connection is pinned to one era, so one server process cannot serve both: each client has its own process of the same server, and for each server the host and the raw pipe in both eras run in one worker, in alternating blocks of calls (ABBA), so load, JIT state and GC pressure hit them alike. The raw-pipe rows send exactly the host's request shapes (progress token; the per-request envelope in the modern era): their difference between eras is the server's and the pipe's alone, and the host's own share of a call is its p50 minus the raw pipe's. ` +
      `CPU after ${warmup} warm-up calls per client (steady state); server CPU from /proc schedstat (ns, all its threads). Each worker and its servers run on one CPU (${allPinned ? 'pinned with taskset' : '**taskset failed: not pinned**'}): across two CPUs the p50 of the same server flips between about 45 and 80 µs from run to run with where the scheduler keeps it; on one CPU client and server work add up and every run agrees.\n\n` +
      table(['server', 'host p50 modern/legacy', 'raw pipe p50 modern/legacy', 'p50 modern − legacy µs (host / raw)', "host's share of p50 µs (legacy / modern)", 'client CPU modern − legacy µs (host / raw)', 'server CPU modern − legacy µs (host / raw)'], summary) +
      '\n\n' +
      table(['server', 'client', 'p50 µs', 'p99 µs', 'client CPU µs/call', 'server CPU µs/call', 'p50 vs legacy (same client, server)', 'client CPU vs sdk (same server)'], rows),
  );

  const [minimal, dual] = byServer;
  if (!minimal || !dual) return;
  const p50 = (res) => ratio(med(res.modern, 'p50us'), med(res.legacy, 'p50us'));
  const cpu = (res) => ratio(med(res.modern, 'clientCpuUs'), med(res.sdk, 'clientCpuUs'));
  /** a / b, NaN (never met) when either is missing. */
  const over = (a, b) => (a === undefined || b === undefined ? NaN : a / b);
  const eraRatio = (res) => over(med(res.modern, 'p50us'), med(res.legacy, 'p50us'));
  const cpuRatio = (res) => over(med(res.modern, 'clientCpuUs'), med(res.sdk, 'clientCpuUs'));
  target('modern call p50 vs legacy, same minimal server', '≤ 1.05x', p50(minimal), eraRatio(minimal) <= 1.05);
  target(`modern call p50 vs legacy, v2 SDK server (its raw pipe: ${ratio(med(dual.rawModern, 'p50us'), med(dual.rawLegacy, 'p50us'))})`, '(≤ 1.05x)', p50(dual), eraRatio(dual) <= 1.05);
  target('modern per-call client CPU vs bare SDK, minimal server', '≤ 0.90x', cpu(minimal), cpuRatio(minimal) <= 0.9);
  target('modern per-call client CPU vs bare SDK, v2 SDK server', '≤ 0.90x', cpu(dual), cpuRatio(dual) <= 0.9);
}
