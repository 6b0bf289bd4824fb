// How many failures one era's conformance run counts, from the suite's exit code and report and the reruns of
// timing scenarios. Kept pure so test/unit/scripts/conformanceVerdict.test.ts can check every branch.
/**
 * @param {{ code: number, scenarios: number, unexpectedAtFirst: number, rescued: number, unexpected: number, stale: number }} run
 *   code: the first run's exit code; scenarios: scenario lines in its report; unexpectedAtFirst: unexpected failures
 *   it listed; rescued: how many of those passed their rerun alone; unexpected / stale: what is still wrong after reruns.
 * @returns {number} failures to count for the era
 */
export function conformanceFailures({ code, scenarios, unexpectedAtFirst, rescued, unexpected, stale }) {
  const listed = unexpected + stale;
  if (listed > 0) return listed;
  if (code === 0) return 0;
  // A non-zero exit is forgiven only when it is fully explained by unexpected failures that all passed alone.
  const explained = scenarios > 0 && unexpectedAtFirst > 0 && rescued === unexpectedAtFirst;
  return explained ? 0 : 1;
}
