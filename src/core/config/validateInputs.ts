/**
 * Validation of an `inputs` array (VS Code mcp.json): which inputs a source declares, for the entries' `${input:…}`
 * references, with every problem reported to the sink.
 */
import { closest, describeKind, quoted, objectProps, type JNode, type JsonPath, type ProblemSink } from './jsonc';
import type { InputDefinition } from './types';

/** Inputs declared by the source: supported ones by id, and ids declared with a type MCP Host cannot prompt for. */
export interface InputDeclarations {
  readonly ids: ReadonlySet<string>;
  readonly unsupported: ReadonlyMap<string, string>;
}

export const noInputs: InputDeclarations = { ids: new Set(), unsupported: new Map() };

/** Validates an `inputs` array (VS Code mcp.json). */
export function validateInputs(node: JNode, sink: ProblemSink, path: JsonPath): { inputs: InputDefinition[]; declarations: InputDeclarations } {
  const inputs: InputDefinition[] = [];
  const ids = new Set<string>();
  const unsupported = new Map<string, string>();
  if (node.kind !== 'array') {
    sink.add('error', path, `"inputs" must be an array of { "type": "promptString", "id": ..., "description": ... }, not ${describeKind(node)}.`, node.loc, undefined, 'wrong-type');
    return { inputs, declarations: { ids, unsupported } };
  }
  const inputKeys = ['type', 'id', 'description', 'default', 'password', 'options', 'command', 'args'];
  node.items.forEach((item, i) => {
    const at = [...path, i];
    if (item.kind !== 'object') {
      sink.add('error', at, `Input ${i} must be an object like { "type": "promptString", "id": "token", "description": "..." }, not ${describeKind(item)}.`, item.loc, undefined, 'wrong-type');
      return;
    }
    const props = new Map(objectProps(item, sink, at).map((p) => [p.key, p]));
    for (const p of props.values()) {
      if (inputKeys.includes(p.key)) continue;
      const guess = closest(p.key, inputKeys);
      sink.add('warning', [...at, p.key], `Unknown property ${quoted(p.key)} in input ${i}${guess ? `: did you mean "${guess}"?` : ' (it is ignored).'}`, p.keyLoc, undefined, 'unknown-key');
    }
    const get = (k: string) => props.get(k)?.value;
    const optString = (k: string): string | undefined => {
      const n = get(k);
      if (!n) return undefined;
      if (n.kind === 'string') return n.value;
      sink.add('error', [...at, k], `"${k}" of input ${i} must be a string, not ${describeKind(n)}.`, n.loc, undefined, 'wrong-type');
      return undefined;
    };
    const idNode = get('id');
    if (!idNode || idNode.kind !== 'string' || !idNode.value) {
      sink.add('error', idNode ? [...at, 'id'] : at, `Input ${i} needs an "id" (a non-empty string), used as \${input:ID}.`, (idNode ?? item).loc, undefined, 'missing-id');
      return;
    }
    const id = idNode.value;
    if (ids.has(id) || unsupported.has(id)) {
      sink.add('warning', [...at, 'id'], `Input "${id}" is declared more than once; only the first one is used.`, idNode.loc, undefined, 'duplicate-input');
      return;
    }
    const typeNode = get('type');
    const type = typeNode?.kind === 'string' ? typeNode.value : undefined;
    const description = optString('description');
    const def = optString('default');
    if (type === 'promptString') {
      const pw = get('password');
      if (pw && pw.kind !== 'boolean') {
        sink.add('error', [...at, 'password'], `"password" of input "${id}" must be true or false, not ${describeKind(pw)}.`, pw.loc, undefined, 'wrong-type');
      }
      inputs.push({
        type: 'promptString',
        id,
        ...(description !== undefined ? { description } : {}),
        ...(def !== undefined ? { default: def } : {}),
        ...(pw?.kind === 'boolean' && pw.value ? { password: true } : {}),
      });
      ids.add(id);
    } else if (type === 'pickString') {
      const optsNode = get('options');
      const options: string[] = [];
      if (optsNode?.kind === 'array') {
        optsNode.items.forEach((o, j) => {
          if (o.kind === 'string') options.push(o.value);
          else if (o.kind === 'object' && o.props.some((p) => p.key === 'value' && p.value.kind === 'string')) {
            const v = o.props.find((p) => p.key === 'value')?.value;
            if (v?.kind === 'string') options.push(v.value);
          } else sink.add('error', [...at, 'options', j], `Option ${j} of input "${id}" must be a string, not ${describeKind(o)}.`, o.loc, undefined, 'wrong-type');
        });
      }
      if (options.length === 0) {
        sink.add('error', optsNode ? [...at, 'options'] : at, `Input "${id}" is a pickString and needs "options": a non-empty array of strings.`, (optsNode ?? item).loc, undefined, 'missing-options');
        unsupported.set(id, 'which has no options to pick from');
        return;
      }
      inputs.push({ type: 'pickString', id, options, ...(description !== undefined ? { description } : {}), ...(def !== undefined ? { default: def } : {}) });
      ids.add(id);
    } else if (type === 'command') {
      sink.add('warning', [...at, 'type'], `Input "${id}" has type "command", which MCP Host does not support (it cannot run editor commands); use "promptString" instead.`, typeNode?.loc, undefined, 'unsupported-input');
      unsupported.set(id, 'whose type "command" MCP Host does not support; use "promptString" instead');
    } else {
      const guess = type ? closest(type, ['promptString', 'pickString']) : undefined;
      sink.add(
        'error',
        typeNode ? [...at, 'type'] : at,
        type
          ? `Input "${id}" has unknown type ${quoted(type)}${guess ? `: did you mean "${guess}"?` : '; use "promptString" or "pickString".'}`
          : `Input "${id}" needs a "type": "promptString" or "pickString".`,
        (typeNode ?? item).loc,
        undefined,
        'unknown-type',
      );
      unsupported.set(id, `whose type ${type ? `"${type}" is unknown` : 'is missing'}`);
    }
  });
  return { inputs, declarations: { ids, unsupported } };
}
