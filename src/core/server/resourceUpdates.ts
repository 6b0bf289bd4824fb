/**
 * `notifications/resources/updated` coalesced per resource: each update makes every holder read the resource
 * again, so a server's burst (thousands of notifications for one URI) becomes one event per window, fired at its
 * end (the last update is never lost). Distinct URIs waiting at once are bounded: the legacy era reports updates
 * for any URI, subscribed or not.
 */

/** URIs with an update waiting at once; more in the same window are dropped (logged once per window). */
export const MAX_PENDING_UPDATES = 256;

/** Coalesces resource updates; see the file comment. */
export class ResourceUpdates {
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  private droppedWarned = false;
  private disposed = false;

  constructor(
    private readonly fire: (uri: string) => void,
    private readonly windowMs: number,
    private readonly warn: (message: string) => void,
  ) {}

  /** An update of `uri` arrived. */
  update(uri: string): void {
    if (this.disposed || this.pending.has(uri)) return;
    if (this.pending.size >= MAX_PENDING_UPDATES) {
      if (!this.droppedWarned) this.warn(`More than ${MAX_PENDING_UPDATES} resources reported updated at once: the rest of this burst is ignored`);
      this.droppedWarned = true;
      return;
    }
    this.pending.set(
      uri,
      setTimeout(() => {
        this.pending.delete(uri);
        if (this.pending.size === 0) this.droppedWarned = false;
        this.fire(uri);
      }, this.windowMs),
    );
  }

  /** Forgets waiting updates (the server stops for good). */
  dispose(): void {
    this.disposed = true;
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
  }
}
