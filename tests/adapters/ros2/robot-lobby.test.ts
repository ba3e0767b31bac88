import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SPEECH_CONFIG } from '../../../src/adapters/speech/speech-config.js';
import { loadCatalog } from '../../../src/civic/catalog.js';
import { createMemoryQueue } from '../../../src/civic/queue/memory-queue.js';
import { runRobotLobby } from '../../../src/cli/robot-lobby.js';
import { createKeywordIntentModel } from '../../../src/nlu/keyword-model.js';
import { projectPath } from '../../../src/paths.js';
import { openDatabase } from '../../../src/store/database.js';

describe('tiepdan start --base ros2 on a machine without ROS 2', () => {
  it('fails before anything starts, saying what to source and install, and opens no port', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tiepdan-robot-'));
    const catalog = loadCatalog();
    let ready = false;
    const database = openDatabase(join(dir, 'robot.db'));
    try {
      await expect(
        runRobotLobby({
          mapPath: projectPath('sim', 'maps', 'ward-lobby.yaml'),
          speech: DEFAULT_SPEECH_CONFIG,
          ears: 'ros2',
          intentModel: createKeywordIntentModel(catalog),
          catalog,
          queue: createMemoryQueue(),
          database,
          host: '127.0.0.1',
          port: 0,
          webRoot: null,
          signal: new AbortController().signal,
          ros2: { env: {} },
          onReady: () => (ready = true),
        }),
      ).rejects.toThrow(/ROS_DISTRO is not set.*source \/opt\/ros\/jazzy\/setup\.bash.*npm install rclnodejs/s);
      expect(ready).toBe(false);
    } finally {
      database.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
