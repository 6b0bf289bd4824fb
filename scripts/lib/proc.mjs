// Process helpers shared by the test harness and the demo: find a free port, wait for an HTTP endpoint,
// and stop a process tree by walking /proc (never by name).
import fs from 'node:fs';
import net from 'node:net';
import http from 'node:http';

/** PIDs of every descendant of `pid` (children first found, deepest last), read from /proc. */
export function descendants(pid) {
  const children = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // The command name (field 2) may contain spaces and parentheses: parse after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(Number(entry));
  }
  const out = [];
  const queue = [pid];
  while (queue.length) {
    const p = queue.shift();
    for (const c of children.get(p) ?? []) {
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    // A zombie still answers signal 0; treat it as gone.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/**
 * Stops `pid` and all its descendants: SIGTERM to the top one, then SIGKILL to whatever of the tree is
 * left after `graceMs`. Descendants are collected before the signal so orphans re-parented to init are
 * still found.
 */
export async function killTree(pid, graceMs = 10_000) {
  if (!pid) return;
  const tree = [pid, ...descendants(pid)];
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && tree.some(alive)) await sleep(100);
  // Anything started meanwhile by a survivor is also ours.
  const left = new Set(tree.filter(alive));
  for (const p of [...left]) for (const d of descendants(p)) left.add(d);
  for (const p of left) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (srv.address()); // listening on TCP
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves once `url` answers HTTP at all (any status), or rejects after `timeoutMs`. */
export async function waitForHttp(url, timeoutMs = 60_000, isDead = () => false) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const req = http.get(url, (res) => {
        res.resume();
        resolve(true);
      });
      req.on('error', () => resolve(false));
      req.setTimeout(2000, () => {
        req.destroy();
        resolve(false);
      });
    });
    if (ok) return;
    if (isDead()) throw new Error(`the process serving ${url} exited before it answered`);
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await sleep(200);
  }
}
