/** One LogOutputChannel per server (created on first use) plus the host channel (STYLE rule 6). */
import * as vscode from 'vscode';
import type { Logger } from '../../core/base/logger';
import type { LogChannels } from '../contracts';

/** The core's Logger over a LogOutputChannel (the channel's level filter applies). */
export function loggerFor(channel: vscode.LogOutputChannel): Logger {
  return {
    trace: (m) => channel.trace(m),
    debug: (m) => channel.debug(m),
    info: (m) => channel.info(m),
    warn: (m) => channel.warn(m),
    error: (m) => channel.error(m),
  };
}

/** Like `loggerFor`, but the channel is only created when the first line is written (no empty channels). */
export function lazyLoggerFor(channel: () => vscode.LogOutputChannel): Logger {
  return {
    trace: (m) => channel().trace(m),
    debug: (m) => channel().debug(m),
    info: (m) => channel().info(m),
    warn: (m) => channel().warn(m),
    error: (m) => channel().error(m),
  };
}

export class OutputLogChannels implements LogChannels, vscode.Disposable {
  readonly host: vscode.LogOutputChannel;
  private readonly servers = new Map<string, vscode.LogOutputChannel>();

  constructor() {
    this.host = vscode.window.createOutputChannel('MCP Host', { log: true });
  }

  channel(serverName: string): vscode.LogOutputChannel {
    let ch = this.servers.get(serverName);
    if (!ch) {
      ch = vscode.window.createOutputChannel(`MCP Host: ${serverName}`, { log: true });
      this.servers.set(serverName, ch);
    }
    return ch;
  }

  showServerLog(serverName: string): void {
    this.channel(serverName).show(true);
  }

  dispose(): void {
    for (const ch of this.servers.values()) ch.dispose();
    this.servers.clear();
    this.host.dispose();
  }
}
