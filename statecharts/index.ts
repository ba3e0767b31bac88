export { guideMachine } from './guide.machine.js';
export type { GuideMachine } from './guide.machine.js';
export type * from './guide.types.js';
