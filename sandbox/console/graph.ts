import { html, render, type Raw } from './html.ts';

/**
 * An execution's graph, drawn from its state machine's definition as one `<svg>` string: the states
 * top to bottom in the order they can run, each coloured by what the execution did in it.
 *
 * Map and Parallel states are drawn as one node, their inner states not expanded: the console shows the
 * playbook's top-level flow, the one its author reads in the flow file, and an inner state's outcome is
 * summed into its Map's (by whoever builds `outcomes`). A Map's node says how many states it holds.
 */

/** What an execution did in a state. `caught`: the state failed and one of its Catches took the execution on. */
export type StateOutcome = 'succeeded' | 'failed' | 'caught' | 'running' | 'waiting';

/** A state's colour key: its outcome, or `not-entered` when the execution never reached it. */
export type NodeOutcome = StateOutcome | 'not-entered';

export const OUTCOME_COLOURS: Readonly<Record<NodeOutcome, { fill: string; stroke: string; text: string; label: string }>> = {
  succeeded: { fill: '#dcfce7', stroke: '#16a34a', text: '#14532d', label: 'succeeded' },
  caught: { fill: '#ffedd5', stroke: '#ea580c', text: '#7c2d12', label: 'failed, caught' },
  failed: { fill: '#fee2e2', stroke: '#dc2626', text: '#7f1d1d', label: 'failed' },
  running: { fill: '#dbeafe', stroke: '#2563eb', text: '#1e3a8a', label: 'running' },
  waiting: { fill: '#dbeafe', stroke: '#2563eb', text: '#1e3a8a', label: 'waiting' },
  'not-entered': { fill: '#f3f4f6', stroke: '#d1d5db', text: '#6b7280', label: 'not entered' },
};

/** The fields of an ASL state the graph reads; the rest is carried along unread. */
export interface GraphState {
  Type: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: { Next?: string }[];
  Catch?: { Next?: string }[];
}

export interface GraphDefinition {
  StartAt: string;
  States: Record<string, GraphState & Record<string, unknown>>;
}

type EdgeKind = 'next' | 'catch';
type Side = 'left' | 'right';

interface Edge {
  from: string;
  to: string;
  kind: EdgeKind;
}

const NODE_WIDTH = 200;
const NODE_HEIGHT = 46;
const H_GAP = 28;
const V_GAP = 44;
const MARGIN = 24;
/** Room above the first layer for the start dot. */
const START_SPACE = 34;
/** How far the first edge drawn to the side (a loop back) swings out, and the next ones further. */
const SIDE_LANE = 30;
const SIDE_LANE_STEP = 12;
/** Characters of a state's name shown in its node; the rest is in its `<title>`. */
const MAX_NAME_LENGTH = 22;
const EDGE_COLOURS: Readonly<Record<EdgeKind, string>> = { next: '#6b7280', catch: '#ea580c' };
const CATCH_DASH = '6 4';
const ARROW_ID: Readonly<Record<EdgeKind, string>> = { next: 'execution-graph-arrow', catch: 'execution-graph-arrow-catch' };

/**
 * The `<svg>` of `definition`'s top-level states, each coloured by its outcome in `outcomes` (a state
 * absent from it was not entered). Pass the definition as built (lib/flow.ts `playbookDefinition`):
 * a flow file's side steps and catch-alls are only States once built, and an edge to a state the
 * definition does not hold is not drawn.
 */
export function executionGraph(definition: GraphDefinition, outcomes: ReadonlyMap<string, StateOutcome>, options: { title?: string } = {}): string {
  const names = Object.keys(definition.States);
  const edges = names.flatMap((name) => edgesOf(name, definition.States[name]!, definition.States));
  const { layerOf, back, preorder } = layers(definition.StartAt, names, edges);
  const rows = orderedRows(names, edges, back, layerOf, preorder);

  const widest = Math.max(1, ...rows.map((row) => row.length));
  const contentWidth = widest * NODE_WIDTH + (widest - 1) * H_GAP;
  const sideEdges = edges.filter((edge) => layerOf.get(edge.to)! <= layerOf.get(edge.from)!);
  // A loop leaves on the side of the graph its state is nearer to, so that it does not cross the row.
  const rowOf = (name: string) => rows[layerOf.get(name)!]!;
  const sideOf = (edge: Edge): Side => (rowOf(edge.from).indexOf(edge.from) * 2 + 1 < rowOf(edge.from).length ? 'left' : 'right');
  const lanes = { left: sideEdges.filter((edge) => sideOf(edge) === 'left'), right: sideEdges.filter((edge) => sideOf(edge) === 'right') };
  const gutter = (side: Side) => (lanes[side].length > 0 ? SIDE_LANE + SIDE_LANE_STEP * lanes[side].length : 0);
  const width = MARGIN * 2 + gutter('left') + contentWidth + gutter('right');
  const height = MARGIN * 2 + START_SPACE + rows.length * NODE_HEIGHT + Math.max(0, rows.length - 1) * V_GAP;

  const position = new Map<string, { x: number; y: number }>();
  rows.forEach((row, layer) => {
    const rowWidth = row.length * NODE_WIDTH + (row.length - 1) * H_GAP;
    const left = MARGIN + gutter('left') + (contentWidth - rowWidth) / 2;
    row.forEach((name, index) => position.set(name, { x: left + index * (NODE_WIDTH + H_GAP), y: MARGIN + START_SPACE + layer * (NODE_HEIGHT + V_GAP) }));
  });

  const title = options.title ?? `Execution graph: ${names.length} states, from ${definition.StartAt}`;
  const start = position.get(definition.StartAt);
  return render(html`<svg xmlns="http://www.w3.org/2000/svg" class="execution-graph" role="img" viewBox="0 0 ${num(width)} ${num(height)}" width="${num(width)}" height="${num(height)}" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif">
<title>${title}</title>
<defs>${(['next', 'catch'] as const).map(arrowMarker)}</defs>
${start && startMarker(start)}
<g class="edges">
${downwardEdges(edges, position, layerOf)}
${(['left', 'right'] as const).flatMap((side) => lanes[side].map((edge, lane) => sideEdge(edge, side, lane, position)))}
</g>
<g class="states">
${rows.flat().map((name) => stateNode(name, definition.States[name]!, outcomes.get(name) ?? 'not-entered', position.get(name)!))}
</g>
</svg>`);
}

/** A state's transitions, in the order the definition writes them, each target once per kind. */
function edgesOf(name: string, state: GraphState, states: GraphDefinition['States']): Edge[] {
  const edges: Edge[] = [];
  const add = (to: unknown, kind: EdgeKind) => {
    if (typeof to !== 'string' || !Object.hasOwn(states, to)) return;
    if (!edges.some((edge) => edge.to === to && edge.kind === kind)) edges.push({ from: name, to, kind });
  };
  for (const choice of state.Choices ?? []) add(choice.Next, 'next');
  add(state.Default, 'next');
  add(state.Next, 'next');
  for (const catcher of state.Catch ?? []) add(catcher.Next, 'catch');
  return edges;
}

/**
 * Each state's layer: the longest path to it from StartAt once the loops are cut. A loop is cut at its
 * back edge (one to a state still open in a depth-first walk from StartAt), which is then drawn to the
 * side. States StartAt never reaches share the layer below all others.
 */
function layers(startAt: string, names: readonly string[], edges: readonly Edge[]): { layerOf: Map<string, number>; back: Set<Edge>; preorder: string[] } {
  const out = (name: string) => edges.filter((edge) => edge.from === name);
  const visit = new Map<string, 'open' | 'done'>();
  const back = new Set<Edge>();
  const preorder: string[] = [];
  const postorder: string[] = [];
  const walk = (name: string) => {
    visit.set(name, 'open');
    preorder.push(name);
    for (const edge of out(name)) {
      const seen = visit.get(edge.to);
      if (seen === 'open') back.add(edge);
      else if (seen === undefined) walk(edge.to);
    }
    visit.set(name, 'done');
    postorder.push(name);
  };
  if (names.includes(startAt)) walk(startAt);

  // Reverse postorder puts every edge that is not a back edge from an earlier state to a later one.
  const layerOf = new Map<string, number>();
  for (const name of postorder.reverse()) {
    const layer = layerOf.get(name) ?? 0;
    layerOf.set(name, layer);
    for (const edge of out(name)) if (!back.has(edge)) layerOf.set(edge.to, Math.max(layerOf.get(edge.to) ?? 0, layer + 1));
  }
  const bottom = preorder.length === 0 ? 0 : Math.max(...layerOf.values()) + 1;
  for (const name of names) if (!layerOf.has(name)) layerOf.set(name, bottom);
  return { layerOf, back, preorder };
}

/**
 * The states of each layer, left to right: under the average position of the states that lead to them
 * (fewer crossings), then in the order the walk from StartAt met them, then the definition's.
 */
function orderedRows(names: readonly string[], edges: readonly Edge[], back: ReadonlySet<Edge>, layerOf: ReadonlyMap<string, number>, preorder: readonly string[]): string[][] {
  const rank = (name: string) => {
    const met = preorder.indexOf(name);
    return met >= 0 ? met : preorder.length + names.indexOf(name);
  };
  const rowCount = Math.max(0, ...layerOf.values()) + (names.length > 0 ? 1 : 0);
  const rows: string[][] = [];
  const slot = new Map<string, number>();
  for (let layer = 0; layer < rowCount; layer++) {
    const row = names.filter((name) => layerOf.get(name) === layer);
    const centre = (name: string) => {
      const above = edges.filter((edge) => edge.to === name && !back.has(edge) && layerOf.get(edge.from)! < layer).map((edge) => slot.get(edge.from)!);
      return above.length === 0 ? Number.POSITIVE_INFINITY : above.reduce((sum, x) => sum + x, 0) / above.length;
    };
    const keyed = row.map((name) => ({ name, centre: centre(name), rank: rank(name) }));
    keyed.sort((a, b) => (a.centre === b.centre ? 0 : a.centre < b.centre ? -1 : 1) || a.rank - b.rank);
    const ordered = keyed.map(({ name }) => name);
    // Centred positions, so that a narrow row's barycentres compare with a wide row's.
    ordered.forEach((name, index) => slot.set(name, index - (ordered.length - 1) / 2));
    rows.push(ordered);
  }
  return rows;
}

function arrowMarker(kind: EdgeKind): Raw {
  return html`<marker id="${ARROW_ID[kind]}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${EDGE_COLOURS[kind]}"/></marker>`;
}

function startMarker(start: { x: number; y: number }): Raw {
  const x = start.x + NODE_WIDTH / 2;
  return html`<g class="start"><circle cx="${num(x)}" cy="${num(MARGIN + 6)}" r="6" fill="#374151"/><path d="M${num(x)},${num(MARGIN + 12)} L${num(x)},${num(start.y)}" stroke="${EDGE_COLOURS.next}" stroke-width="1.5" fill="none" marker-end="url(#${ARROW_ID.next})"/></g>`;
}

/**
 * Edges to a lower layer, from the source's bottom to the target's top, spread along both sides so
 * that a Choice's branches leave it apart and a join's arrows arrive apart.
 */
function downwardEdges(edges: readonly Edge[], position: ReadonlyMap<string, { x: number; y: number }>, layerOf: ReadonlyMap<string, number>): Raw[] {
  const downward = edges.filter((edge) => layerOf.get(edge.to)! > layerOf.get(edge.from)!);
  const centreX = (name: string) => position.get(name)!.x + NODE_WIDTH / 2;
  const spread = (group: readonly Edge[], across: (edge: Edge) => string) => {
    const sorted = [...group].sort((a, b) => centreX(across(a)) - centreX(across(b)) || compare(across(a), across(b)) || compare(a.kind, b.kind));
    return new Map(sorted.map((edge, index) => [edge, (NODE_WIDTH * (index + 1)) / (sorted.length + 1)]));
  };
  const leaving = new Map<Edge, number>();
  const arriving = new Map<Edge, number>();
  for (const name of position.keys()) {
    for (const [edge, offset] of spread(downward.filter((edge) => edge.from === name), (edge) => edge.to)) leaving.set(edge, offset);
    for (const [edge, offset] of spread(downward.filter((edge) => edge.to === name), (edge) => edge.from)) arriving.set(edge, offset);
  }
  return downward.map((edge) => {
    const from = position.get(edge.from)!;
    const to = position.get(edge.to)!;
    const x1 = from.x + leaving.get(edge)!;
    const y1 = from.y + NODE_HEIGHT;
    const x2 = to.x + arriving.get(edge)!;
    const y2 = to.y;
    const bend = V_GAP * 0.6;
    return edgePath(edge, `M${num(x1)},${num(y1)} C${num(x1)},${num(y1 + bend)} ${num(x2)},${num(y2 - bend)} ${num(x2)},${num(y2)}`, false);
  });
}

/**
 * An edge back up (a loop) or within a layer, swung out beside both states, each in its own lane: to
 * the left of a state in the left half of its row, to the right otherwise.
 */
function sideEdge(edge: Edge, side: Side, lane: number, position: ReadonlyMap<string, { x: number; y: number }>): Raw {
  const from = position.get(edge.from)!;
  const to = position.get(edge.to)!;
  const self = edge.from === edge.to;
  const y1 = from.y + (self ? NODE_HEIGHT / 3 : NODE_HEIGHT / 2);
  const y2 = to.y + (self ? (NODE_HEIGHT * 2) / 3 : NODE_HEIGHT / 2);
  const outward = SIDE_LANE + SIDE_LANE_STEP * lane;
  const [x1, x2, swing] =
    side === 'right'
      ? [from.x + NODE_WIDTH, to.x + NODE_WIDTH, Math.max(from.x, to.x) + NODE_WIDTH + outward]
      : [from.x, to.x, Math.min(from.x, to.x) - outward];
  return edgePath(edge, `M${num(x1)},${num(y1)} C${num(swing)},${num(y1)} ${num(swing)},${num(y2)} ${num(x2)},${num(y2)}`, true);
}

function edgePath(edge: Edge, d: string, side: boolean): Raw {
  const words = edge.kind === 'catch' ? 'on error' : 'next';
  return html`<path class="edge" data-from="${edge.from}" data-to="${edge.to}" data-kind="${edge.kind}"${side && html` data-back="true"`} d="${d}" fill="none" stroke="${EDGE_COLOURS[edge.kind]}" stroke-width="1.5"${edge.kind === 'catch' && html` stroke-dasharray="${CATCH_DASH}" stroke-opacity="0.75"`} marker-end="url(#${ARROW_ID[edge.kind]})"><title>${edge.from} → ${edge.to} (${words})</title></path>
`;
}

function stateNode(name: string, state: GraphState & Record<string, unknown>, outcome: NodeOutcome, at: { x: number; y: number }): Raw {
  const colours = OUTCOME_COLOURS[outcome];
  const centre = at.x + NODE_WIDTH / 2;
  const type = typeLabel(state);
  return html`<g class="state" data-state="${name}" data-outcome="${outcome}">
<title>${name} · ${type} · ${colours.label}</title>
<rect x="${num(at.x)}" y="${num(at.y)}" width="${NODE_WIDTH}" height="${NODE_HEIGHT}" rx="8" fill="${colours.fill}" stroke="${colours.stroke}" stroke-width="${outcome === 'running' ? 2.5 : 1.5}"${outcome === 'waiting' && html` stroke-dasharray="4 3"`}/>
<text x="${num(centre)}" y="${num(at.y + 20)}" text-anchor="middle" font-size="13" font-weight="600" fill="${colours.text}">${truncated(name, MAX_NAME_LENGTH)}</text>
<text x="${num(centre)}" y="${num(at.y + 36)}" text-anchor="middle" font-size="10.5" fill="${colours.text}" fill-opacity="0.75">${type}</text>
</g>
`;
}

/** The state's type, and for a Map or Parallel (drawn as one node) how many states it holds. */
function typeLabel(state: GraphState & Record<string, unknown>): string {
  const inner = [state.ItemProcessor, state.Iterator, ...(Array.isArray(state.Branches) ? state.Branches : [])]
    .map((machine) => (isRecord(machine) && isRecord(machine.States) ? Object.keys(machine.States).length : 0))
    .reduce((sum, count) => sum + count, 0);
  return inner > 0 ? `${state.Type} · ${inner} ${inner === 1 ? 'state' : 'states'} inside` : state.Type;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `text` cut to `max` characters (code points, so that an emoji is never split), the cut marked by an ellipsis. */
function truncated(text: string, max: number): string {
  const characters = Array.from(text);
  return characters.length <= max ? text : `${characters.slice(0, max - 1).join('')}…`;
}

/** A coordinate as written in the SVG: at most one decimal, so that the same graph is the same string. */
function num(value: number): string {
  return String(Math.round(value * 10) / 10);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const LEGEND_ORDER: readonly NodeOutcome[] = ['succeeded', 'caught', 'failed', 'running', 'waiting', 'not-entered'];

/** The key to the graph's colours and edges, as a one-line `<svg>`. */
export function graphLegend(): string {
  const swatch = 14;
  const gap = 18;
  // The labels' widths are estimated (no text measuring in a string), generously: 7 px a character at 12 px.
  const labelWidth = (label: string) => label.length * 7;
  // 1, not 0: a swatch's stroke would be cut at the left edge.
  let x = 1;
  const items: Raw[] = [];
  for (const outcome of LEGEND_ORDER) {
    const colours = OUTCOME_COLOURS[outcome];
    items.push(html`<g class="legend-item" data-outcome="${outcome}"><rect x="${x}" y="3" width="${swatch}" height="${swatch}" rx="3" fill="${colours.fill}" stroke="${colours.stroke}" stroke-width="1.5"${outcome === 'waiting' && html` stroke-dasharray="4 3"`}/><text x="${x + swatch + 5}" y="15" font-size="12" fill="#374151">${colours.label}</text></g>`);
    x += swatch + 5 + labelWidth(colours.label) + gap;
  }
  for (const kind of ['next', 'catch'] as const) {
    const label = kind === 'catch' ? 'on error (Catch)' : 'next';
    items.push(html`<g class="legend-item" data-kind="${kind}"><path d="M${x},10 L${x + 26},10" stroke="${EDGE_COLOURS[kind]}" stroke-width="1.5"${kind === 'catch' && html` stroke-dasharray="${CATCH_DASH}"`} marker-end="url(#legend-${ARROW_ID[kind]})"/><text x="${x + 32}" y="15" font-size="12" fill="#374151">${label}</text></g>`);
    x += 32 + labelWidth(label) + gap;
  }
  const width = x - gap;
  return render(html`<svg xmlns="http://www.w3.org/2000/svg" class="graph-legend" role="img" viewBox="0 0 ${width} 20" width="${width}" height="20" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif">
<title>Key: ${LEGEND_ORDER.map((outcome) => OUTCOME_COLOURS[outcome].label).join(', ')}; solid arrow next, dashed arrow on error</title>
<defs>${(['next', 'catch'] as const).map((kind) => html`<marker id="legend-${ARROW_ID[kind]}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${EDGE_COLOURS[kind]}"/></marker>`)}</defs>
${items}
</svg>`);
}
