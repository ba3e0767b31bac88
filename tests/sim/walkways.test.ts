/**
 * People waiting keep the robot's ways clear: they sit off the aisles and doors it takes from its
 * posts to the counters, as in a real centre. Seated in a doorway, they left the robot no way into a
 * side room (generated layout 3: nearly half its escorts there failed).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateLayout, writeLayout } from '../../sim/layouts/generate.js';
import { createSimLobby } from '../../sim/lobby.js';
import { loadScenario } from '../../sim/scenario.js';
import { distanceToSegment, nearWalkway, walkways, WALKWAY_HALF_WIDTH_M } from '../../sim/walkways.js';
import { projectPath } from '../../src/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'tiepdan-walkways-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('walkways', () => {
  it('measure a point against each segment of a way', () => {
    expect(distanceToSegment({ xM: 1, yM: 1 }, { xM: 0, yM: 0 }, { xM: 2, yM: 0 })).toBeCloseTo(1);
    expect(distanceToSegment({ xM: 3, yM: 0 }, { xM: 0, yM: 0 }, { xM: 2, yM: 0 })).toBeCloseTo(1);
    expect(distanceToSegment({ xM: 1, yM: 1 }, { xM: 0, yM: 0 }, { xM: 0, yM: 0 })).toBeCloseTo(Math.SQRT2);
    const way = [{ xM: 0, yM: 0 }, { xM: 4, yM: 0 }, { xM: 4, yM: 4 }];
    expect(nearWalkway({ xM: 2, yM: WALKWAY_HALF_WIDTH_M - 0.01 }, [way])).toBe(true);
    expect(nearWalkway({ xM: 2, yM: WALKWAY_HALF_WIDTH_M + 0.01 }, [way])).toBe(false);
    expect(nearWalkway({ xM: 4.5, yM: 3 }, [way])).toBe(true);
    expect(nearWalkway({ xM: 2, yM: 2 }, [])).toBe(false);
  });

  it('on a layout with a side room behind a door, nobody waiting sits on the robot\'s ways', () => {
    const mapPath = writeLayout(dir, generateLayout(3));
    const lobby = createSimLobby({ scenario: loadScenario(projectPath('sim', 'scenarios', 'morning-rush.yaml')), mapPath, seed: 3 });
    try {
      const byKind = (kind: string) => lobby.places.filter((p) => p.kind === kind);
      const ways = walkways(lobby.world.planner, [...byKind('home'), ...byKind('entrance'), ...byKind('waiting')], [...byKind('counter'), ...byKind('dock')]);
      expect(ways.length).toBe(3 * (byKind('counter').length + byKind('dock').length));
      // No controller: nobody is served, so everyone who comes sits down to wait.
      const seatedAt = new Map<string, { xM: number; yM: number }>();
      for (let t = 0; t < 1200; t += 1) {
        lobby.step(1);
        for (const c of lobby.crowd.citizens) {
          if (c.phase === 'queueing' && c.agent.route.length === 0) seatedAt.set(c.id, { ...c.agent.position });
        }
      }
      expect(seatedAt.size).toBeGreaterThan(10);
      const waiting = byKind('waiting')[0]!.pose;
      const inTheWay = [...seatedAt].filter(([, p]) => (p.xM !== waiting.xM || p.yM !== waiting.yM) && nearWalkway(p, ways));
      expect(inTheWay).toEqual([]);
    } finally {
      void lobby.close();
    }
  });
});
