import type { StateTreeNode } from '../../console/statechart-tree.js';
import { el } from '../shared/dom.js';

export type { StateTreeNode };

/**
 * The statechart as nested boxes, built from the definition the server walked out of the machine:
 * parallel regions side by side (dashed), initial states marked, active states lit.
 */
export class StatechartView {
  private readonly boxes = new Map<string, HTMLElement>();
  readonly root: HTMLElement;

  constructor(tree: StateTreeNode) {
    this.root = el('div', { class: 'statechart', id: 'statechart' }, ...tree.children.map((c) => this.box(c, tree)));
  }

  private box(node: StateTreeNode, parent: StateTreeNode): HTMLElement {
    const title = el('div', { class: 'state-title', title: node.events.length > 0 ? `reacts to: ${node.events.join(', ')}` : undefined }, parent.initial === node.key ? `● ${node.key}` : node.key);
    const children = el('div', { class: `state-children ${node.type}` }, ...node.children.map((c) => this.box(c, node)));
    const box = el('div', { class: `state ${node.type}${parent.type === 'parallel' ? ' region' : ''}`, 'data-path': node.path }, title, node.children.length > 0 ? children : null);
    this.boxes.set(node.path, box);
    return box;
  }

  light(active: readonly string[]): void {
    const set = new Set(active);
    for (const [path, box] of this.boxes) box.classList.toggle('active', set.has(path));
  }
}
