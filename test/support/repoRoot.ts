// The repository root for compiled tests (unit, integration and e2e all run from out/test/**).
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root (the folder holding package.json), found by walking up from this file. */
export function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = up;
  }
  return dir;
}
