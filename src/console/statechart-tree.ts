import type { AnyStateMachine, AnyStateNode } from 'xstate';

/** One state of a statechart as the console draws it: nested boxes, parallel regions side by side. */
export interface StateTreeNode {
  readonly key: string;
  /** Dotted path from the root's children, as in the active-state paths the console receives. */
  readonly path: string;
  readonly type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  readonly initial: string | null;
  /** Events this state itself reacts to (not its children's). */
  readonly events: readonly string[];
  readonly children: readonly StateTreeNode[];
}

function describe(node: AnyStateNode, path: string): StateTreeNode {
  const initialTarget = node.type === 'compound' ? (node.initial.target[0]?.key ?? null) : null;
  const events = [...new Set(Object.keys(node.on).filter((e) => !e.startsWith('xstate.')))].sort();
  return {
    key: node.key,
    path,
    type: node.type,
    initial: initialTarget,
    events,
    children: Object.values(node.states).map((child) => describe(child, path === '' ? child.key : `${path}.${child.key}`)),
  };
}

/** The machine's own definition, walked: the console's drawing cannot drift from the code. */
export function describeStatechart(machine: AnyStateMachine): StateTreeNode {
  return describe(machine.root, '');
}
