/**
 * The same suite as the browser test, in Node, on Dawn (the `webgpu` package). Dawn needs
 * a Vulkan driver: Debian's Mesa lavapipe (22.3) is refused ("Vulkan
 * shaderUniform*ArrayDynamicIndexing required"), so the test points the Vulkan loader at
 * the SwiftShader driver that ships with Chromium. Skipped, with a message, when that
 * driver is missing (JUTE_VK_ICD names another ICD file).
 */
import { existsSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe } from 'vitest';
import type { SuiteResult } from './browser/suite';
import { suiteChecks } from './suite-checks';

const icd = process.env.JUTE_VK_ICD ?? '/usr/lib/chromium/vk_swiftshader_icd.json';
const haveIcd = existsSync(icd);
if (!haveIcd) {
  console.warn(
    `webgpu Node tests skipped: no Vulkan driver description at ${icd} (Chromium's SwiftShader; JUTE_VK_ICD points elsewhere)`,
  );
}

// Kept reachable for the whole run: collecting the instance would end its devices.
let gpu: unknown;

describe.skipIf(!haveIcd)('WebGPU backend in Node (Dawn)', () => {
  let result: SuiteResult;
  beforeAll(async () => {
    process.env.VK_ICD_FILENAMES ??= icd;
    // The bounded-memory check collects garbage between steps, as the browser run does.
    setFlagsFromString('--expose-gc');
    (globalThis as { gc?: unknown }).gc = runInNewContext('gc');
    const { create } = await import('webgpu');
    gpu = create([]);
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true });
    const { runSuite } = await import('./browser/suite');
    result = await runSuite(process.env.JUTE_WEBGPU_ONLY);
  }, 240_000);

  suiteChecks(() => ({ result, consoleErrors: [] }));
});
