/** Mocha entry for the "ui" suite, loaded by the extension host (`extensionTestsPath`). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  // Generous timeout: the machines are shared and a server cold start takes ~0.3-1 s under load.
  const mocha = new Mocha({ ui: 'tdd', timeout: 60_000, color: false });
  for (const f of fs.readdirSync(__dirname)) if (f.endsWith('.test.js')) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
  });
}
