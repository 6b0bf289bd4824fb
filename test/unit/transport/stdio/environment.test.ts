import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { buildServerEnvironment, isEditorInternalVariable, parseEnvFile } from '../../../../src/core/transport/stdio/environment';

void test('editor-internal variables are removed and user variables kept', () => {
  const env = buildServerEnvironment(
    {
      PATH: '/usr/bin',
      HOME: '/home/u',
      ELECTRON_RUN_AS_NODE: '1',
      VSCODE_IPC_HOOK: '/tmp/x.sock',
      VSCODE_IPC_HOOK_EXTHOST: '/tmp/y.sock',
      VSCODE_PID: '42',
      VSCODE_CWD: '/',
      VSCODE_NLS_CONFIG: '{}',
      VSCODE_HANDLES_UNCAUGHT_ERRORS: 'true',
      VSCODE_CODE_CACHE_PATH: '/c',
      VSCODE_ESM_ENTRYPOINT: 'x',
      VSCODE_AMD_ENTRYPOINT: 'y',
      VSCODE_PORTABLE: '/portable',
      NODE_EXTRA_CA_CERTS: '/etc/ca.crt',
      SNAP: '/snap/code/1',
      SNAP_NAME: 'code',
      GDK_PIXBUF_MODULE_FILE: 'x',
      UNDEF: undefined,
    },
    undefined,
    undefined,
    'linux',
  );
  assert.deepEqual(env, { PATH: '/usr/bin', HOME: '/home/u', VSCODE_PORTABLE: '/portable', NODE_EXTRA_CA_CERTS: '/etc/ca.crt' });
  assert.equal(isEditorInternalVariable('VSCODE_SHELL_LOGIN'), false);
  assert.equal(isEditorInternalVariable('VSCODE_INJECTION'), true);
});

void test('envFile overrides the editor environment and env overrides envFile; null unsets', () => {
  const env = buildServerEnvironment(
    { A: 'base', B: 'base', C: 'base', D: 'base' },
    { B: 'file', C: 'file', E: 'file' },
    { C: 'env', D: null, E: null, F: 'env' },
    'linux',
  );
  assert.deepEqual(env, { A: 'base', B: 'file', C: 'env', F: 'env' });
});

void test('on Windows variable names compare without case (Path and PATH are one)', () => {
  const env = buildServerEnvironment({ Path: 'C:\\base', Other: '1' }, { PATH: 'C:\\file' }, { other: null }, 'win32');
  assert.deepEqual(env, { PATH: 'C:\\file' });
  const env2 = buildServerEnvironment({ Path: 'C:\\base' }, undefined, { PATH: null }, 'win32');
  assert.deepEqual(env2, {});
});

void test('a dotenv file is parsed: comments, export, quotes, escapes, inline comments, CRLF', () => {
  const text = [
    '# a comment',
    '',
    'PLAIN=value',
    'export EXPORTED=yes',
    '  SPACED = padded value  ',
    "SINGLE='literal $HOME \\n'",
    'DOUBLE="line1\\nline2 \\"q\\""',
    'MULTI="first',
    'second"',
    'INLINE=abc # trailing comment',
    'HASH=a#b',
    'EMPTY=',
    'URL=https://x.test/?a=b&c=d',
    'not an assignment',
    'BACKTICK=`raw "q"`',
    'PLAIN=override',
  ].join('\r\n');
  assert.deepEqual(parseEnvFile('\uFEFF' + text), {
    PLAIN: 'override',
    EXPORTED: 'yes',
    SPACED: 'padded value',
    SINGLE: 'literal $HOME \\n',
    DOUBLE: 'line1\nline2 "q"',
    MULTI: 'first\nsecond',
    INLINE: 'abc',
    HASH: 'a#b',
    EMPTY: '',
    URL: 'https://x.test/?a=b&c=d',
    BACKTICK: 'raw "q"',
  });
});
