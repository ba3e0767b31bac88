import type { Logger } from 'pino';
import { AudioListener } from '../adapters/audio/audio-listener.js';
import { arecordSource } from '../adapters/audio/frame-source.js';
import { SileroVad, VAD_FRAME_SAMPLES } from '../adapters/audio/silero-vad.js';
import { createPocketsphinxRecognizer } from '../adapters/asr/pocketsphinx.js';
import { createRos2Base, createRos2Listener, importRclnodejs, loadRos2Config, parseRos2Config } from '../adapters/ros2/index.js';
import { BargeInSpeaker } from '../adapters/speech/barge-in.js';
import { createConfiguredSpeaker, type SpeechConfig } from '../adapters/speech/speech-config.js';
import { TextListener } from '../adapters/text/text-listener.js';
import { boundedRecognizer } from '../app/bounded-recognizer.js';
import { BoundedSpeaker } from '../app/bounded-speaker.js';
import { openCheckpointStore } from '../app/checkpoint.js';
import { composeGuide } from '../app/compose.js';
import type { ControllerRecord } from '../app/controller.js';
import { NODE_TIMERS, type WatchdogAlertKind, type WatchdogAlertRelay } from '../app/watchdog-alerts.js';
import type { Catalog } from '../ports/catalog.js';
import type { Pose2D } from '../ports/common.js';
import type { IntentModel } from '../ports/intent-model.js';
import type { Listener, Utterance } from '../ports/listener.js';
import type { Queue } from '../ports/queue.js';
import type { Speaker } from '../ports/speaker.js';
import type { Database } from '../store/database.js';
import { loadMap, loadPlaces, placesPathFor } from '../maps/map.js';
import { openLobbyConsole, type ConsoleSecurity, ROBOT_ID, type LobbyConsole, type RobotView } from '../console/lobby-console.js';

/** Where the robot hears citizens: the robot's own ROS4HRI speech recognition, its microphone, or only the screens. */
export type EarsOption = 'ros2' | 'mic' | 'none';

export interface RobotLobbyOptions {
  /** The robot's Nav2 map (ROS map_server YAML) with its `.places.yaml` beside it. */
  readonly mapPath: string;
  /** Topics, actions, QoS and timeouts; absent: the defaults for a standard Nav2 bringup. */
  readonly ros2ConfigPath?: string;
  readonly speech: SpeechConfig;
  readonly ears: EarsOption;
  readonly intentModel: IntentModel;
  readonly catalog: Catalog;
  readonly queue: Queue;
  /** The process's database, for the checkpoint, accounts and the console audit; its owner closes it. */
  readonly database: Database;
  readonly host: string;
  readonly port: number;
  readonly webRoot: string | null;
  readonly signal: AbortSignal;
  readonly onRecord?: (tS: number, record: ControllerRecord) => void;
  /** `GET /metrics` to any address, not only this machine; default false. */
  readonly metricsPublic?: boolean;
  /** Allowed origins and audit retention; defaults when absent. */
  readonly security?: ConsoleSecurity;
  /** Every controller record as one JSON line; absent: none. */
  readonly log?: Logger;
  /** Called once the console serves and the controller runs. */
  readonly onReady?: (lobbyConsole: LobbyConsole) => void;
  /** Alerts from parts built before the lobby (the intent model's fallback), published as the controller's own. */
  readonly watchdogAlerts?: WatchdogAlertRelay;
}

/** Several ears as one `Listener`: each utterance from whichever heard it. */
function allOf(listeners: readonly Listener[]): Listener {
  return {
    subscribe(handler: (u: Utterance) => void) {
      const offs = listeners.map((l) => l.subscribe(handler));
      return () => offs.forEach((off) => off());
    },
    async close() {
      await Promise.all(listeners.map((l) => l.close()));
    },
  };
}

/**
 * The controller on a real robot through ROS 2, with its console: the same statechart, queue and
 * pages as on the simulator. Without a sourced ROS 2 it fails before anything starts, saying what
 * to source and install. On the signal: the controller stops the base first, then everything closes.
 */
export async function runRobotLobby(options: RobotLobbyOptions): Promise<{ readonly console: LobbyConsole }> {
  // First of all: without a sourced ROS 2 there is nothing to drive, and the error says what to do.
  await importRclnodejs();
  const map = loadMap(options.mapPath);
  const places = loadPlaces(placesPathFor(options.mapPath), map);
  const config = options.ros2ConfigPath !== undefined ? loadRos2Config(options.ros2ConfigPath, process.env) : parseRos2Config({}, process.env, 'defaults');
  const base = await createRos2Base({ config, places });
  const closers: (() => Promise<void>)[] = [() => base.close()];
  // Speech and ears are built before the controller: their watchdog alerts go out as its records once it runs.
  let raise: (alert: WatchdogAlertKind) => void = () => {};
  try {
    const screens = new TextListener('kiosk');
    const ears: Listener[] = [screens];
    let speaker: Speaker = new BoundedSpeaker(createConfiguredSpeaker(options.speech), { clock: NODE_TIMERS, onHung: () => raise('speakerHung') });
    if (options.ears === 'ros2') ears.push(await createRos2Listener({ config }));
    if (options.ears === 'mic') {
      const vad = await SileroVad.load();
      const asr = boundedRecognizer(await createPocketsphinxRecognizer({ catalog: options.catalog }), { clock: NODE_TIMERS, onHung: () => raise('asrHung') });
      const mic = new AudioListener(arecordSource(VAD_FRAME_SAMPLES), vad, asr, {
        lang: 'en',
        onError: (where, error) => process.stderr.write(`${where}: ${error instanceof Error ? error.message : String(error)}\n`),
      });
      const bargeIn = new BargeInSpeaker(speaker);
      mic.onVoiceStart(() => bargeIn.voiceStarted());
      speaker = bargeIn;
      ears.push(mic);
      closers.push(() => asr.close(), () => vad.close());
    }
    const listener = allOf(ears);
    closers.unshift(() => listener.close());

    const checkpoints = openCheckpointStore(options.database);
    closers.push(async () => checkpoints.close());
    const lobbyConsole = await openLobbyConsole({
      host: options.host,
      port: options.port,
      database: options.database,
      webRoot: options.webRoot,
      catalog: options.catalog,
      metricsPublic: options.metricsPublic,
      log: options.log,
      security: options.security,
    });
    closers.push(() => lobbyConsole.close());
    // The map shows what the base reports; until it reports, the robot is drawn at home.
    const home = places.find((p) => p.kind === 'home')!.pose;
    let view: { -readonly [K in keyof RobotView]: RobotView[K] } = { pose: home as Pose2D, linearMps: 0, batteryPercent: 0, path: [], people: [] };
    base.subscribe((event) => {
      if (event.type === 'pose') view = { ...view, pose: event.pose, linearMps: event.linearMps };
      else if (event.type === 'battery') view = { ...view, batteryPercent: event.battery.percent };
      else if (event.type === 'path') view = { ...view, path: event.path };
      else if (event.type === 'people') view = { ...view, people: event.people.map((p) => ({ id: p.id, xM: p.position.xM, yM: p.position.yM })) };
    });
    const startedAt = Date.now();
    const composed = composeGuide(
      { base, listener, speaker, intentModel: options.intentModel, scanner: null, clock: NODE_TIMERS, nowMs: Date.now, calendarNowMs: Date.now },
      {
        catalog: options.catalog,
        robotId: ROBOT_ID,
        // No card reader on the robot's ROS 2 graph yet: without a scanner no request is sealed, so none is kept.
        stores: { queue: options.queue, requests: null, checkpoints },
        tS: () => (Date.now() - startedAt) / 1000,
        ...(options.onRecord !== undefined ? { onRecord: options.onRecord } : {}),
        console: { console: lobbyConsole, screens, map, view: () => view },
        ...(options.watchdogAlerts !== undefined ? { watchdogAlerts: options.watchdogAlerts } : {}),
        eventLoopWatchdog: {},
      },
    );
    raise = composed.raise;
    closers.unshift(async () => {
      raise = () => {};
    });
    if ((await composed.start()) === 'handedOff') {
      process.stdout.write('recovered after a restart: the base was stopped and the citizen being served was handed to staff\n');
    }
    options.onReady?.(lobbyConsole);
    await new Promise<void>((resolve) => {
      if (options.signal.aborted) resolve();
      else options.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    // The controller stops the base before anything else goes down.
    await composed.stop();
    return { console: lobbyConsole };
  } finally {
    for (const close of closers) await close().catch(() => {});
  }
}
