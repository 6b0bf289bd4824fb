// Shared pieces of the auth tests: an in-memory SecretStore, a Browser that completes the browser step by
// following the authorization server's redirect with fetch (into the real loopback listener), a consent prompt
// that records what it was shown, and one request the way an HTTP transport makes it (headers, challenge, retry).
import { LoopbackBrowser } from '../../../src/core/auth/loopback';
import { AuthManager, type AuthManagerOptions, type ChallengeOutcome } from '../../../src/core/auth/manager';
import { SecretSet } from '../../../src/core/auth/secretSet';
import type { ConsentPrompt, ConsentRequest, SecretStore } from '../../../src/core/auth/types';
import { startAuthServer, type AuthServerFixture, type AuthServerOptions } from '../../fixtures/auth/authServer';
import { startResourceServer, type ResourceServerFixture, type ResourceServerOptions } from '../../fixtures/auth/resourceServer';

export class MemoryStore implements SecretStore {
  readonly map = new Map<string, string>();
  get(key: string) {
    return Promise.resolve(this.map.get(key));
  }
  store(key: string, value: string) {
    this.map.set(key, value);
    return Promise.resolve();
  }
  delete(key: string) {
    this.map.delete(key);
    return Promise.resolve();
  }
}

/** Opens the authorization URL as a browser would: GET it, read the 302, GET the Location (the loopback listener). */
export function followingBrowser(opened: URL[] = [], timeoutMs = 5000): LoopbackBrowser {
  return new LoopbackBrowser({
    timeoutMs,
    openUrl: async (url) => {
      opened.push(url);
      const res = await fetch(url, { redirect: 'manual' });
      const location = res.headers.get('location');
      if (res.status !== 302 || !location) throw new Error(`authorize answered ${res.status}`);
      await (await fetch(location)).text();
    },
  });
}

export class RecordingConsent implements ConsentPrompt {
  readonly asked: ConsentRequest[] = [];
  constructor(public answer = true) {}
  confirm(r: ConsentRequest) {
    this.asked.push(r);
    return Promise.resolve(this.answer);
  }
}

/** One request as the HTTP transport will make it: headers, then onChallenge on 401/403, at most `maxRetries` retries. */
export async function request(m: AuthManager, url: string, maxRetries = 2): Promise<{ status: number; outcomes: ChallengeOutcome[] }> {
  const outcomes: ChallengeOutcome[] = [];
  for (let i = 0; ; i++) {
    const res = await fetch(url, { method: 'POST', headers: { ...(await m.headers()), 'content-type': 'application/json' }, body: '{}' });
    await res.text();
    if (res.status !== 401 && res.status !== 403) return { status: res.status, outcomes };
    const o = await m.onChallenge(res.status, res.headers.get('www-authenticate'));
    outcomes.push(o);
    if (o !== 'retry' || i >= maxRetries) return { status: res.status, outcomes };
  }
}

export interface Setup {
  as: AuthServerFixture;
  rs: ResourceServerFixture;
  store: MemoryStore;
  consent: RecordingConsent;
  opened: URL[];
  secrets: SecretSet;
  manager(extra?: Partial<AuthManagerOptions>): AuthManager;
  close(): Promise<void>;
}

/** An authorization server and a resource on two origins of 127.0.0.1, and managers for the resource. */
export async function setup(asOpts: AuthServerOptions = {}, rsOpts: Partial<ResourceServerOptions> = {}): Promise<Setup> {
  const as = await startAuthServer(asOpts);
  const rs = await startResourceServer({ authorizationServers: [as.issuer], tokenInfo: (t) => as.tokenInfo(t), ...rsOpts });
  const store = new MemoryStore();
  const consent = new RecordingConsent();
  const opened: URL[] = [];
  const secrets = new SecretSet();
  const managers: AuthManager[] = [];
  return {
    as,
    rs,
    store,
    consent,
    opened,
    secrets,
    manager: (extra = {}) => {
      const m = new AuthManager({ serverUrl: rs.url, store, browser: followingBrowser(opened), consent, fetch, secrets, clientMetadataDocumentUrl: null, ...extra });
      managers.push(m);
      return m;
    },
    close: async () => {
      for (const m of managers) m.dispose();
      await Promise.all([as.close(), rs.close()]);
    },
  };
}
