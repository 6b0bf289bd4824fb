/**
 * The launch union: one member per transport, and the one place that decides which transports exist.
 * Adding a transport: its folder beside stdio/, one member of LaunchSpec, one entry in `factories`.
 */
import { createHttpTransport } from './http/httpTransport';
import type { HttpLaunchSpec } from './http/types';
import { createSseTransport, type SseLaunchSpec } from './sse/sseTransport';
import { createStdioTransport } from './stdio/stdioTransport';
import type { StdioLaunchSpec } from './stdio/types';
import type { MessageTransport } from './types';
import { createWsTransport, type WsLaunchSpec } from './ws/wsTransport';

/** A launch description: everything a transport needs to reach one server. */
export type LaunchSpec = StdioLaunchSpec | HttpLaunchSpec | SseLaunchSpec | WsLaunchSpec;

export type LaunchKind = LaunchSpec['kind'];

/** Makes the transport for a launch description; nothing runs until its `start()`. */
export type TransportFactory = (spec: LaunchSpec) => MessageTransport;

const factories: { readonly [K in LaunchKind]: (spec: Extract<LaunchSpec, { kind: K }>) => MessageTransport } = {
  stdio: createStdioTransport,
  http: createHttpTransport,
  sse: createSseTransport,
  ws: createWsTransport,
};

/** The transport for `spec`, from the transport folder of its kind. */
export const createTransport: TransportFactory = (spec) => (factories[spec.kind] as (s: LaunchSpec) => MessageTransport)(spec);

/** The kind of transport a configured `type` names, or undefined when MCP Host has none for it yet. */
export function launchKindOf(type: string | undefined): LaunchKind | undefined {
  const kind = type ?? 'stdio';
  return Object.prototype.hasOwnProperty.call(factories, kind) ? (kind as LaunchKind) : undefined;
}
