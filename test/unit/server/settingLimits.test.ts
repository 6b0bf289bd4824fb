/**
 * The host settings' upper bounds hold whoever set them (a workspace's settings included): the message cap that
 * protects the extension host's memory and the timeouts cannot be raised past HOST_SETTING_LIMITS.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { defaultHostSettings, HOST_SETTING_LIMITS, withinLimits } from '../../../src/core/server/deps';
import { repoRoot } from '../../support/repoRoot';

void test('values above the limits are cut to them; values within stay as they are', () => {
  const huge = withinLimits({ ...defaultHostSettings, maxMessageBytes: 1e15, initializeTimeoutMs: 1e12, requestTimeoutMs: 1e12, maxTotalTimeoutMs: 1e12 });
  assert.equal(huge.maxMessageBytes, HOST_SETTING_LIMITS.maxMessageBytes);
  assert.equal(huge.initializeTimeoutMs, HOST_SETTING_LIMITS.timeoutMs);
  assert.equal(huge.requestTimeoutMs, HOST_SETTING_LIMITS.timeoutMs);
  assert.equal(huge.maxTotalTimeoutMs, HOST_SETTING_LIMITS.timeoutMs);
  assert.deepEqual(withinLimits(defaultHostSettings), defaultHostSettings);
});

void test('the settings schema in package.json says the same limits', () => {
  const pkg = JSON.parse(readFileSync(`${repoRoot()}/package.json`, 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { maximum?: number }> } };
    capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
  };
  const props = pkg.contributes.configuration.properties;
  assert.equal(props['mcpHost.maxMessageSizeMB']?.maximum, HOST_SETTING_LIMITS.maxMessageBytes / (1024 * 1024));
  for (const k of ['initializeTimeoutSeconds', 'requestTimeoutSeconds', 'maxRequestTimeoutSeconds']) {
    assert.equal(props[`mcpHost.${k}`]?.maximum, HOST_SETTING_LIMITS.timeoutMs / 1000, k);
  }
  assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('mcpHost.maxMessageSizeMB'));
});
