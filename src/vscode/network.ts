/**
 * How remote servers are reached from the extension host. VS Code patches the global `fetch` of extensions to
 * honour `http.proxy`, HTTPS_PROXY/NO_PROXY and the system's certificates while `http.fetchAdditionalSupport` is
 * on (its default): then that fetch is passed as is. With it off, the core's own proxy handling gets `http.proxy`.
 */
import * as vscode from 'vscode';
import type { NetworkOptions } from '../core/transport/http/network';

export function editorNetwork(): NetworkOptions {
  const http = vscode.workspace.getConfiguration('http');
  if (http.get<boolean>('fetchAdditionalSupport') !== false) {
    return { fetch: (url, init) => globalThis.fetch(url, init as RequestInit), env: process.env };
  }
  const proxy = http.get<string>('proxy');
  return { env: process.env, ...(proxy ? { proxy } : {}) };
}
