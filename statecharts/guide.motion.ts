import type { DoneActorEvent } from 'xstate';
import type { NavResult } from '../src/ports/robot-base.js';
import { guide, type GuideStateConfig } from './guide.setup.js';
import type { GuideContext, NavigateInput } from './guide.types.js';

type Actions = GuideStateConfig['entry'];
/** Named actions without params: fit for any transition, whatever its event. */
type ActionName = Extract<NonNullable<Actions>, string>;
type Transitions = GuideStateConfig['on'];
type Eventless = GuideStateConfig['always'];
type States = Record<string, GuideStateConfig>;

/**
 * A task that drives the base somewhere: escorting a citizen, returning to a post, docking.
 * Every one is `checking` (may the base move?) -> driving -> arrived, with `failed` and `halted` beside it.
 */
export interface MotionSpec<TId extends string, TDriving extends string, TBefore extends States, TWhile extends States, TAfter extends States> {
  readonly id: TId;
  /** The state that drives; the escort's is `leading`. */
  readonly driving: TDriving;
  readonly destination: (context: GuideContext) => NavigateInput;
  /** How long a drive may take before it counts as failed. */
  readonly timeout: 'escortTimeout' | 'returnTimeout';
  readonly arrived: { readonly target: string; readonly action?: ActionName };
  /** Keep every navigation result in `lastNav`. */
  readonly recordOutcome?: boolean;
  /** Where a failed drive goes once the failure is alerted. */
  readonly failed: Eventless;
  readonly entry?: Actions;
  readonly exit?: Actions;
  /** The task's own events, beside pause, e-stop and link loss, which halt every drive. */
  readonly on?: Transitions;
  readonly checkingEntry?: Actions;
  readonly drivingEntry?: Actions;
  readonly drivingOn?: Transitions;
  readonly haltedEntry?: Actions;
  /** The task's own states, in the order they read: before `checking`, after driving, after `failed`. */
  readonly before?: TBefore;
  readonly whileDriving?: TWhile;
  readonly afterFailure?: TAfter;
  readonly initial?: Extract<keyof TBefore, string>;
}

const recordNav = { type: 'recordNav', params: ({ event }: { event: DoneActorEvent<NavResult> }) => event.output } as const;

function drivingState<TDriving extends string>(
  name: TDriving,
  spec: Pick<MotionSpec<string, TDriving, States, States, States>, 'destination' | 'timeout' | 'arrived' | 'recordOutcome' | 'drivingEntry' | 'drivingOn'>,
) {
  const outcome = spec.recordOutcome === true ? [recordNav] : [];
  const state = guide.createStateConfig({
    entry: spec.drivingEntry,
    invoke: {
      id: 'navigate',
      src: 'navigate',
      input: ({ context }) => spec.destination(context),
      onDone: [
        { guard: 'navArrived', target: spec.arrived.target, actions: spec.arrived.action === undefined ? outcome : [...outcome, spec.arrived.action] },
        { guard: 'navCanceled', target: 'halted', actions: outcome },
        { target: 'failed', actions: outcome },
      ],
      onError: 'failed',
    },
    after: { [spec.timeout]: 'failed' },
    on: spec.drivingOn,
  });
  // A computed key types as a string index; the name is the caller's literal.
  return { [name]: state } as Record<TDriving, typeof state>;
}

/** One drive with its safety: pause, e-stop and link loss halt it; only an operator's resume drives on. */
export function motionState<
  const TId extends string,
  const TDriving extends string,
  // `const` keeps the states' literals (alert kinds, targets), so they check against the machine's own types.
  const TBefore extends States = Record<never, GuideStateConfig>,
  const TWhile extends States = Record<never, GuideStateConfig>,
  const TAfter extends States = Record<never, GuideStateConfig>,
>(spec: MotionSpec<TId, TDriving, TBefore, TWhile, TAfter>) {
  return guide.createStateConfig({
    id: spec.id,
    initial: spec.initial ?? 'checking',
    entry: spec.entry,
    exit: spec.exit,
    on: {
      ...spec.on,
      'operator.pause': '.halted',
      'operator.estop': '.halted',
      'link.lost': '.halted',
    },
    states: {
      ...(spec.before as TBefore),
      checking: {
        entry: spec.checkingEntry,
        always: [{ guard: 'canMove', target: spec.driving }, { target: 'halted' }],
      },
      ...drivingState(spec.driving, spec),
      ...(spec.whileDriving as TWhile),
      failed: {
        entry: { type: 'alert', params: { kind: 'navFailed' } },
        always: spec.failed,
      },
      ...(spec.afterFailure as TAfter),
      halted: {
        entry: spec.haltedEntry,
        on: {
          // Only an operator's resume drives on; a released e-stop or a restored link alone does not.
          'operator.resume': { guard: 'canResume', target: spec.driving },
          // Otherwise a repeated stop would re-enter `halted`: its announcement again, its timeout restarted.
          'operator.pause': {},
          'operator.estop': {},
          'link.lost': {},
        },
        after: { haltedTimeout: '#handoff' },
      },
    },
  });
}
