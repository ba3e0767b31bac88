import { existsSync } from 'node:fs';

/**
 * A system package a test needs. Missing locally: the test is skipped and says why. In CI
 * (TIEPDAN_REQUIRE_SYSTEM=1) a missing package is an error, so nothing is skipped there unnoticed.
 */
export function systemTool(path: string, aptPackage: string): { readonly available: boolean; readonly skipReason: string } {
  if (existsSync(path)) return { available: true, skipReason: '' };
  const reason = `${path} not found (apt-get install ${aptPackage})`;
  if (process.env['TIEPDAN_REQUIRE_SYSTEM'] === '1') throw new Error(`TIEPDAN_REQUIRE_SYSTEM=1 but ${reason}`);
  process.stderr.write(`SKIPPED: ${reason}\n`);
  return { available: false, skipReason: ` [SKIPPED: ${reason}]` };
}
