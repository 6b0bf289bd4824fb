/**
 * From a tree node / picked item to a concrete resource URI: templates ask for their variables (with server
 * completions as the user types) and are expanded (RFC 6570). Then the read, bounded, with progress.
 */
import type { ReadResourceResult } from '../../../core/protocol/sdk';
import type { CompletionRef, ServerHandle } from '../../../core/server/types';
import { sanitizeLabel } from '../../../core/base/sanitize';
import { runForm, type FormField } from '../../input/form';
import { expandTemplate, templateVariables } from '../../input/uriTemplate';
import { isTreeNode } from '../../tree/nodes';
import { boundedOptions, serverById, showServerError, withRequestProgress } from './requests';
import { startWithFeedback } from '../startServer';
import { pickContentNode } from './picker';
import type { ContentServices } from './services';
import { showMessage } from '../../messages';

export interface ResourceTargetOptions {
  /** Values for a template's variables (skips asking). */
  readonly variables?: Record<string, string>;
}

export interface ResourceTarget {
  readonly server: ServerHandle;
  readonly uri: string;
  readonly mimeType?: string;
}

/** Completions for one argument of a prompt or template, or none when the server has no completions capability. */
export function completer(server: ServerHandle, ref: CompletionRef, name: string): FormField['complete'] {
  if (!server.info?.capabilities.completions) return undefined;
  return async (text, context, token) => {
    const req = boundedOptions(server, token);
    try {
      return await server.complete(ref, { name, value: text }, context, req.options);
    } catch {
      return []; // suggestions are a help, never an error
    } finally {
      req.dispose();
    }
  };
}

/** Asks for a template's variables; undefined when cancelled. */
export async function expandTemplateInteractively(
  s: ContentServices,
  server: ServerHandle,
  uriTemplate: string,
  title: string,
): Promise<string | undefined> {
  const vars = templateVariables(uriTemplate);
  if (vars.length === 0) return uriTemplate;
  const remembered = s.memory.get('template', server.name, uriTemplate) ?? {};
  const ref: CompletionRef = { type: 'ref/resource', uri: uriTemplate };
  const fields: FormField[] = vars.map((v) => {
    const complete = completer(server, ref, v.name);
    return {
      name: v.name,
      required: !v.inQuery,
      hint: `variable of ${sanitizeLabel(uriTemplate, 100)}`,
      ...(complete ? { complete } : {}),
    };
  });
  const initial: Record<string, unknown> = {};
  for (const v of vars) if (typeof remembered[v.name] === 'string') initial[v.name] = remembered[v.name];
  const result = await runForm({ title, fields, initial, allowJson: false });
  if (!result) return undefined;
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(result.values)) if (typeof v === 'string') values[k] = v;
  void s.memory.remember('template', server.name, uriTemplate, values);
  return expandTemplate(uriTemplate, values);
}

/** The server and URI a command should act on (asking what is missing); undefined when cancelled. */
export async function resolveResourceTarget(
  s: ContentServices,
  node: unknown,
  options: ResourceTargetOptions | undefined,
  placeholder: string,
  verb: string,
): Promise<ResourceTarget | undefined> {
  const target =
    isTreeNode(node) && (node.kind === 'resource' || node.kind === 'resourceTemplate')
      ? node
      : await pickContentNode(s, ['resource', 'resourceTemplate'], placeholder);
  if (!target) return undefined;
  const server = serverById(s, target.serverId);
  if (!server || !(await startWithFeedback(s, server))) return undefined;
  if (target.kind === 'resource') {
    const known = server.lists.resources.find((r) => r.uri === target.uri);
    return { server, uri: target.uri, ...(known?.mimeType ? { mimeType: known.mimeType } : {}) };
  }
  if (target.kind !== 'resourceTemplate') return undefined;
  const template = server.lists.resourceTemplates.find((t) => t.uriTemplate === target.uriTemplate);
  const uri = options?.variables
    ? expandTemplate(target.uriTemplate, options.variables)
    : await expandTemplateInteractively(s, server, target.uriTemplate, `${verb} ${sanitizeLabel(template?.name ?? target.uriTemplate, 80)}`);
  if (uri === undefined) return undefined;
  return { server, uri, ...(template?.mimeType ? { mimeType: template.mimeType } : {}) };
}

/** Reads a resource with progress and Cancel; undefined when cancelled or failed (the error was shown). */
export async function readWithProgress(s: ContentServices, server: ServerHandle, uri: string): Promise<ReadResourceResult | undefined> {
  try {
    const result = await withRequestProgress(server, `Reading ${sanitizeLabel(uri, 100)} from ${sanitizeLabel(server.name, 60)}`, (o) =>
      server.readResource(uri, o),
    );
    if (!result) void showMessage('info', `Cancelled reading ${sanitizeLabel(uri, 100)}.`);
    return result;
  } catch (err) {
    showServerError(s, server, `Reading ${sanitizeLabel(uri, 100)} from "${sanitizeLabel(server.name, 60)}" failed`, err);
    return undefined;
  }
}
