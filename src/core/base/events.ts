/** A function that removes a listener or frees a resource. Calling it twice is harmless. */
export interface Disposable {
  dispose(): void;
}

/** Subscribe to an event; the returned disposable unsubscribes. */
export type Event<T> = (listener: (e: T) => void) => Disposable;

/**
 * The core's tiny event emitter (adapters use `vscode.EventEmitter`).
 * A throwing listener never stops the others: its error goes to `onListenerError`.
 */
export class Emitter<T> implements Disposable {
  private listeners = new Set<(e: T) => void>();
  private disposed = false;

  constructor(private readonly onListenerError: (err: unknown) => void = () => {}) {}

  readonly event: Event<T> = (listener) => {
    if (this.disposed) return { dispose() {} };
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  };

  fire(e: T): void {
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch (err) {
        this.onListenerError(err);
      }
    }
  }

  get hasListeners(): boolean {
    return this.listeners.size > 0;
  }

  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
  }
}

/** Holds disposables and frees them together, once. Adding to a disposed store frees at once. */
export class DisposableStore implements Disposable {
  private items = new Set<Disposable>();
  private disposed = false;

  add<D extends Disposable>(d: D): D {
    if (this.disposed) d.dispose();
    else this.items.add(d);
    return d;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const items = [...this.items];
    this.items.clear();
    for (const d of items.reverse()) {
      try {
        d.dispose();
      } catch {
        // one failing cleanup must not stop the rest
      }
    }
  }
}

export function toDisposable(fn: () => void): Disposable {
  let done = false;
  return {
    dispose() {
      if (done) return;
      done = true;
      fn();
    },
  };
}
