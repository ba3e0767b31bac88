import type { RecordingSpeaker } from '../src/adapters/speech/recording-speaker.js';
import type { TextListener } from '../src/adapters/text/text-listener.js';
import type { ControllerRecord } from '../src/app/controller.js';
import type { CardScanner } from '../src/ports/card-scanner.js';
import type { SimBase } from './sim-base.js';

/** What one simulated service day offers a controller: the robot's body, ears, voice and card reader. */
export interface DayPorts {
  readonly base: SimBase;
  readonly listener: TextListener;
  readonly speaker: RecordingSpeaker;
  /** Null when the scenario has no ID scans. */
  readonly scanner: CardScanner | null;
  /** Milliseconds since the simulation's epoch (08:00 on the first day), for the controller's clock. */
  readonly nowMs: () => number;
  readonly record: (record: ControllerRecord) => void;
}

/**
 * Where the controller runs during a simulated day, when it is not in the runner's own process:
 * the soak runs it as a child process that it kills and restarts. The runner calls `attach` at the
 * start of each day, `settle` after every world tick (the controller catches up with simulated time
 * before the world moves on) and `detach` at the end of the day.
 */
export interface ControllerHost {
  attach(ports: DayPorts): Promise<void>;
  settle(): Promise<void>;
  detach(): Promise<void>;
}
