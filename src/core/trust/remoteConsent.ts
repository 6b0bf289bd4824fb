/**
 * The consent dialog's text for a remote server: the URL MCP Host connects to and the headers it sends (secrets
 * masked), and what changed since the user decided. A remote server runs no program here, so there is no command
 * line, working directory or environment to show.
 */
import type { ResolvedLaunch } from '../config/types';
import { quoteArg } from '../base/commandLine';
import { makeInvisibleVisible } from '../base/sanitize';
import { describeLaunchChange, type LaunchSummary, type RemoteSummary } from './launch';

/** The modal's text for a remote launch; `source` says where the definition comes from, for people. */
export function remoteConsentDetail(
  source: string,
  r: RemoteSummary,
  launch: ResolvedLaunch,
  previous: { readonly decision: 'approved' | 'denied'; readonly summary: LaunchSummary } | undefined,
): string {
  const lines: string[] = [
    `Defined in ${source}. MCP Host connects to this remote server (${r.type}) and sends it the headers below; its tools may act on your behalf there. Connect only if you trust the authors of this workspace and the server.`,
    '',
    `URL: ${quoteArg(r.url)}`,
  ];
  const keys = Object.keys(r.headers);
  if (keys.length) {
    lines.push('Headers:');
    for (const k of keys) lines.push(`  ${makeInvisibleVisible(k)}: ${quoteArg(r.headers[k] ?? '')}`);
  } else lines.push('Headers: (none)');
  if (r.oauth) {
    // The registered application the user's sign-in goes to (the authorization server shows its name, not this id).
    lines.push(`Sign-in client: client id ${quoteArg(r.oauth.clientId)}${r.oauth.clientSecret !== undefined ? `, client secret ${r.oauth.clientSecret}` : ''}`);
  }
  if (previous) {
    const changes = describeLaunchChange(previous.summary, launch);
    lines.push('', `Changed since you ${previous.decision === 'approved' ? 'approved' : 'declined'} it:`);
    if (changes.length) for (const c of changes) lines.push(`  • ${c}`);
    else lines.push('  • a value that is not shown (a masked secret or token) changed');
  }
  return lines.join('\n');
}
