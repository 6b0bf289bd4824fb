/**
 * One server's link to the sign-in of its URL: the AuthManager of the last resolved launch (its URL may come
 * from inputs, so it is known only once a start resolved it), its state changes re-fired for the registry, and
 * the transport's `auth` seam for each launch.
 */
import { Emitter, type Disposable, type Event } from '../base/events';
import { transportAuth } from '../auth/hook';
import type { AuthManager, AuthState } from '../auth/manager';
import type { AuthManagers } from '../auth/services';
import type { ResolvedLaunch } from '../config/types';
import type { RemoteAuth } from '../transport/http/types';

export class ServerAuth implements Disposable {
  private readonly _onDidChange = new Emitter<AuthState>();
  readonly onDidChange: Event<AuthState> = this._onDidChange.event;
  private current: AuthManager | undefined;
  private subscription: Disposable | undefined;

  constructor(private readonly pool: AuthManagers | undefined) {}

  /** The sign-in of the server's URL (after its first start resolved the URL), if the host offers sign-in. */
  get manager(): AuthManager | undefined {
    return this.current;
  }

  /** The transport's sign-in for `launch` (remote only), binding this server to the manager of its URL. */
  forLaunch(launch: ResolvedLaunch): RemoteAuth | undefined {
    const remote = launch.remote;
    if (!remote || !this.pool) return undefined;
    const m = this.pool.managerFor(remote.url, remote.oauth);
    if (m !== this.current) {
      this.subscription?.dispose();
      this.current = m;
      this.subscription = m.onDidChangeState((s) => this._onDidChange.fire(s));
      this._onDidChange.fire(m.state);
    }
    return transportAuth(m);
  }

  /** The server cannot run until the user signs in (or approves more scopes). */
  needsSignIn(): boolean {
    return this.current?.state.kind === 'signInNeeded';
  }

  dispose(): void {
    this.subscription?.dispose();
    this._onDidChange.dispose();
  }
}
