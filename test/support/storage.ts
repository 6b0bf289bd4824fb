// Real in-memory implementations of the injected storage interfaces (vscode's Memento and SecretStorage).
import type { Memento, SecretStore } from '../../src/core/config/types';

export class MapMemento implements Memento {
  readonly map = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.map.get(key) as T | undefined;
  }
  update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.map.delete(key);
    else this.map.set(key, structuredClone(value));
    return Promise.resolve();
  }
  keys(): readonly string[] {
    return [...this.map.keys()];
  }
  /** Everything stored, serialized: to assert a secret never lands here. */
  dump(): string {
    return JSON.stringify([...this.map.entries()]);
  }
}

export class MapSecretStore implements SecretStore {
  readonly map = new Map<string, string>();
  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this.map.get(key));
  }
  store(key: string, value: string): Promise<void> {
    this.map.set(key, value);
    return Promise.resolve();
  }
  delete(key: string): Promise<void> {
    this.map.delete(key);
    return Promise.resolve();
  }
}
