/**
 * Offers MCP Host's approved servers to VS Code's own chat (`mcpHost.chat.offerServers`, off by default) through
 * the MCP server definition provider API, where the editor has it (VS Code 1.101+; on 1.100 nothing happens).
 * Off: nothing is registered. On: the provider is registered, and any change that may change the offer (servers,
 * their states, trust decisions, workspace trust) makes the editor list again. Turned off: the editor is told the
 * list is empty and the registration goes.
 */
import * as vscode from 'vscode';
import { chatOfferResolver, type ChatCandidate, type ChatOfferDeps, type QuietResolveContext } from '../../core/chat/offer';
import { definitionKey } from '../../core/config/definitionKey';
import type { ServerRegistry } from '../../core/host/types';
import { chatOfferServers } from '../settings';
import { CHAT_PROVIDER_ID, mcpApi } from './api';
import { ChatServerProvider } from './provider';


export interface ChatOfferServices {
  readonly disposable: vscode.Disposable;
  /** Test seam (throws outside ExtensionMode.Test): the provider registered now, undefined when off or unsupported. */
  readonly testing: ChatTestApi;
}

export interface ChatTestApi {
  /** The editor has the MCP server definition provider API. */
  readonly supported: boolean;
  provider(): ChatServerProvider | undefined;
}

export interface ChatOfferDepsIn {
  readonly context: vscode.ExtensionContext;
  readonly registry: ServerRegistry;
  /** The launch gate: what blocks a server, whether a launch was approved, and its change event (Reset Server Trust). */
  readonly gate: ChatOfferDeps['gate'] & { readonly onDidChange: vscode.Event<void> };
  /** MCP Host's own resolve context (no prompter: the offer never asks). */
  readonly resolve: QuietResolveContext;
  readonly log: vscode.LogOutputChannel;
}

export function registerChatOffer(deps: ChatOfferDepsIn): ChatOfferServices {
  const api = mcpApi();
  const subs: vscode.Disposable[] = [];
  let provider: ChatServerProvider | undefined;
  let registration: vscode.Disposable | undefined;
  const candidates = (): readonly ChatCandidate[] => deps.registry.servers.map((s) => ({ definition: s.definition, state: s.state }));

  // What the offer depends on, cheaply: a change of it (not every list refresh) makes the editor list again.
  let signature = '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const changed = (force: boolean): void => {
    if (!provider) return;
    const now = JSON.stringify(candidates().map((c) => [c.definition.id, definitionKey(c.definition), c.state.kind, c.state.kind === 'stopped' ? (c.state.reason ?? '') : '']));
    if (!force && now === signature) return;
    signature = now;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => provider?.refresh(), 100);
  };

  // Turned on and off in order: a registration goes only after the editor has seen the empty list (see retire),
  // and a new one never overlaps the one going (they share the id).
  let applying: Promise<void> = Promise.resolve();
  const apply = (): void => {
    applying = applying.then(applyNow, applyNow);
  };
  const applyNow = async (): Promise<void> => {
    const on = api !== undefined && chatOfferServers();
    if (on && !provider && api) {
      provider = new ChatServerProvider({ api, candidates, offer: { ...chatOfferResolver(deps.resolve), gate: deps.gate, isWorkspaceTrusted: () => vscode.workspace.isTrusted }, log: deps.log });
      try {
        registration = api.registerMcpServerDefinitionProvider(CHAT_PROVIDER_ID, provider);
      } catch (e) {
        provider.dispose();
        provider = undefined;
        deps.log.error(`Chat: could not offer servers to VS Code: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
      signature = '';
      deps.log.info('Chat: offering approved servers to VS Code (mcpHost.chat.offerServers).');
    } else if (!on && provider) {
      const [going, reg] = [provider, registration];
      provider = undefined;
      registration = undefined;
      await going.retire();
      reg?.dispose();
      going.dispose();
      deps.log.info('Chat: no longer offering servers to VS Code.');
    }
  };

  if (api) {
    subs.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mcpHost.chat.offerServers')) apply();
      }),
      deps.registry.onDidChangeServers(() => changed(false)),
      deps.registry.onDidChangeServer(() => changed(false)),
      deps.gate.onDidChange(() => changed(true)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => changed(true)),
    );
    apply();
  }

  return {
    disposable: {
      dispose: () => {
        if (timer) clearTimeout(timer);
        for (const d of subs) d.dispose();
        provider?.dispose();
        registration?.dispose();
        provider = undefined;
      },
    },
    testing: {
      supported: api !== undefined,
      provider() {
        if (deps.context.extensionMode !== vscode.ExtensionMode.Test) throw new Error('MCP Host chat test seam is only available in test mode.');
        return provider;
      },
    },
  };
}
