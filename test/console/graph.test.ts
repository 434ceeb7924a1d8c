import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLAYBOOKS } from '../../lib/catalog.ts';
import { playbookDefinition } from '../../lib/flow.ts';
import { PROJECT_ROOT } from '../../lib/project-root.ts';
import { executionGraph, graphLegend, OUTCOME_COLOURS, type GraphDefinition, type StateOutcome } from '../../sandbox/console/graph.ts';

// The execution graph the console draws from a definition: every top-level state once, coloured by
// what the execution did in it, laid out top to bottom in the order the states can run.

interface DrawnNode {
  name: string;
  outcome: string;
  title: string;
  label: string;
  x: number;
  y: number;
  fill: string;
}

/** The state nodes of a drawn graph, in the order drawn (their names as written, escaped). */
function nodes(svg: string): DrawnNode[] {
  return svg
    .split('<g class="state" ')
    .slice(1)
    .map((chunk) => {
      const node = /^data-state="([^"]*)" data-outcome="([^"]*)">\n<title>([^<]*)<\/title>\n<rect x="([\d.-]+)" y="([\d.-]+)"[^>]* fill="([^"]*)"[^>]*\/>\n<text[^>]*>([^<]*)<\/text>/.exec(chunk);
      if (!node) throw new Error(`Unexpected node markup: ${chunk.slice(0, 200)}`);
      const [, name, outcome, title, x, y, fill, label] = node as unknown as string[];
      return { name: name!, outcome: outcome!, title: title!, label: label!, x: Number(x), y: Number(y), fill: fill! };
    });
}

function node(svg: string, name: string): DrawnNode {
  const found = nodes(svg).find((candidate) => candidate.name === name);
  if (!found) throw new Error(`No node ${name}`);
  return found;
}

/** The `<path class="edge">` opening tags, each as its attributes. */
function edges(svg: string): Record<string, string>[] {
  return [...svg.matchAll(/<path class="edge" ([^>]*)>/g)].map(([, attributes]) => Object.fromEntries([...attributes!.matchAll(/([\w-]+)="([^"]*)"/g)].map(([, key, value]) => [key!, value!])));
}

const flowFile = (id: string) => JSON.parse(readFileSync(join(PROJECT_ROOT, 'statemachines', `${id}.asl.json`), 'utf8')) as GraphDefinition;
const built = (id: string) => JSON.parse(playbookDefinition(PLAYBOOKS.find((playbook) => playbook.id === id)!)) as GraphDefinition;
const none = new Map<string, StateOutcome>();

describe('the execution graph of nps-response, from its flow file', () => {
  const definition = flowFile('nps-response');
  const names = Object.keys(definition.States);

  it('given no outcome, when drawn, then every top-level state is one node, not entered, in grey', () => {
    const drawn = nodes(executionGraph(definition, none));

    expect(drawn.map(({ name }) => name).sort()).toEqual([...names].sort());
    expect(new Set(drawn.map(({ outcome }) => outcome))).toEqual(new Set(['not-entered']));
    expect(new Set(drawn.map(({ fill }) => fill))).toEqual(new Set([OUTCOME_COLOURS['not-entered'].fill]));
  });

  it('given the outcomes of the states an execution went through, when drawn, then those states carry them and their colours, the others stay not entered', () => {
    const outcomes = new Map<string, StateOutcome>([
      ['RecordResponse', 'succeeded'],
      ['ByBand', 'succeeded'],
      ['OpenChurnRisk', 'succeeded'],
      ['PostDetractorAlert', 'caught'],
      ['GatherDetractorContext', 'failed'],
      ['CoolDown', 'waiting'],
      ['CreateContextReview', 'running'],
    ]);

    const svg = executionGraph(definition, outcomes);

    for (const [name, outcome] of outcomes) {
      expect(node(svg, name)).toMatchObject({ outcome, fill: OUTCOME_COLOURS[outcome].fill });
    }
    expect(node(svg, 'CheckStoreCall')).toMatchObject({ outcome: 'not-entered', fill: OUTCOME_COLOURS['not-entered'].fill });
  });

  it('given the flow starts at RecordResponse, when drawn, then it is the top node and the Choice after it is below it, its branches side by side below that', () => {
    const svg = executionGraph(definition, none);
    const start = node(svg, 'RecordResponse');
    const byBand = node(svg, 'ByBand');
    const branches = ['OpenChurnRisk', 'CreateFollowUpCall', 'CheckStoreCall'].map((name) => node(svg, name));

    expect(Math.min(...nodes(svg).map(({ y }) => y))).toBe(start.y);
    expect(byBand.y).toBeGreaterThan(start.y);
    expect(new Set(branches.map(({ y }) => y))).toEqual(new Set([branches[0]!.y]));
    expect(branches[0]!.y).toBeGreaterThan(byBand.y);
    // In the order the Choice writes them: detractor, passive, then its Default.
    expect(branches.map(({ x }) => x)).toEqual([...branches.map(({ x }) => x)].sort((a, b) => a - b));
  });

  it('given RequestReviewRequestApproval catches its timeout to ReviewRequestExpired, when drawn, then that edge is dashed and a Next edge is not', () => {
    const drawn = edges(executionGraph(definition, none));
    const caught = drawn.find((edge) => edge['data-from'] === 'RequestReviewRequestApproval' && edge['data-to'] === 'ReviewRequestExpired');
    const next = drawn.find((edge) => edge['data-from'] === 'RecordResponse' && edge['data-to'] === 'ByBand');

    expect(caught).toMatchObject({ 'data-kind': 'catch', 'stroke-dasharray': expect.any(String) });
    expect(next).toMatchObject({ 'data-kind': 'next' });
    expect(next).not.toHaveProperty('stroke-dasharray');
  });

  it('given the same definition and outcomes, when drawn twice, then the SVG is the same string, whatever order the outcomes were given in', () => {
    const outcomes: [string, StateOutcome][] = [
      ['RecordResponse', 'succeeded'],
      ['ByBand', 'succeeded'],
      ['CheckStoreCall', 'running'],
    ];

    expect(executionGraph(definition, new Map(outcomes))).toBe(executionGraph(structuredClone(definition), new Map([...outcomes].reverse())));
  });

  it('when drawn, then it is one accessible <svg> with its viewBox, size and title, and an arrowhead marker', () => {
    const svg = executionGraph(definition, none);

    expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*viewBox="0 0 [\d.]+ [\d.]+" width="[\d.]+" height="[\d.]+"/);
    expect(svg).toMatch(/^<svg[^>]*>\n<title>[^<]+<\/title>/);
    expect(svg).toContain('<marker id="execution-graph-arrow"');
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(svg.match(/<svg/g)).toHaveLength(1);
  });
});

describe('the execution graph of every catalog playbook, as built', () => {
  it.each(PLAYBOOKS.map((playbook) => [playbook.id] as const))('given %s as it deploys, when drawn, then each of its top-level states is one node and each Catch a dashed edge', (id) => {
    const definition = built(id);
    const svg = executionGraph(definition, none);
    const catches = Object.entries(definition.States).flatMap(([from, state]) => [...new Set((state.Catch ?? []).map((catcher) => catcher.Next))].map((to) => `${from}→${to}`));

    expect(nodes(svg).map(({ name }) => name).sort()).toEqual(Object.keys(definition.States).sort());
    expect(
      edges(svg)
        .filter((edge) => edge['data-kind'] === 'catch')
        .map((edge) => `${edge['data-from']}→${edge['data-to']}`)
        .sort(),
    ).toEqual(catches.sort());
    expect(edges(svg).filter((edge) => edge['data-kind'] === 'catch').every((edge) => edge['stroke-dasharray'] !== undefined)).toBe(true);
  });

  it('given usage-check, whose Map holds states of its own, when drawn, then the Map is one node that says how many it holds, and its inner states are no nodes', () => {
    const definition = built('usage-check');
    const [mapName, map] = Object.entries(definition.States).find(([, state]) => state.Type === 'Map') ?? [];
    if (!mapName || !map) throw new Error('usage-check has no Map state any more: pick another playbook with one');
    const innerStates = Object.keys(((map.ItemProcessor ?? map.Iterator) as { States: Record<string, unknown> }).States);

    const svg = executionGraph(definition, none);

    expect(innerStates.length).toBeGreaterThan(0);
    expect(svg).toContain(`Map · ${innerStates.length} ${innerStates.length === 1 ? 'state' : 'states'} inside`);
    for (const name of innerStates) expect(nodes(svg).some((drawn) => drawn.name === name)).toBe(false);
  });
});

describe('the layout of a small machine', () => {
  // Ask → Decide → (Act | Done); Act → Ask loops back; Orphan is reached by nothing.
  const looping: GraphDefinition = {
    StartAt: 'Ask',
    States: {
      Ask: { Type: 'Task', Next: 'Decide', Catch: [{ Next: 'Done' }] },
      Decide: { Type: 'Choice', Choices: [{ Next: 'Act' }], Default: 'Done' },
      Act: { Type: 'Pass', Next: 'Ask' },
      Done: { Type: 'Succeed' },
      Orphan: { Type: 'Pass', End: true },
    },
  };

  it('given a loop back to the start, when drawn, then each state is a layer below the one before it and the loop is drawn back up, to the side', () => {
    const svg = executionGraph(looping, none);
    const [ask, decide, act, done, orphan] = ['Ask', 'Decide', 'Act', 'Done', 'Orphan'].map((name) => node(svg, name));

    expect(decide!.y).toBeGreaterThan(ask!.y);
    expect(act!.y).toBeGreaterThan(decide!.y);
    // Done: the longest path to it (through Decide), not the shortest (Ask's Catch).
    expect(done!.y).toBe(act!.y);
    expect(edges(svg).find((edge) => edge['data-from'] === 'Act' && edge['data-to'] === 'Ask')).toMatchObject({ 'data-back': 'true' });
    expect(orphan!.y).toBeGreaterThan(done!.y);
  });

  it('given an edge to a state the definition does not hold (a flow file\'s side step, before it is built), when drawn, then that edge is left out', () => {
    const svg = executionGraph({ StartAt: 'Only', States: { Only: { Type: 'Task', End: true, Catch: [{ Next: 'NotHere' }] } } }, none);

    expect(nodes(svg).map(({ name }) => name)).toEqual(['Only']);
    expect(edges(svg)).toEqual([]);
  });

  it('given a state name longer than a node, when drawn, then the node shows its start and an ellipsis, and its title the whole name', () => {
    const name = 'CheckWhetherTheChampionIsStillAtTheCompanyAfterTheRenewal';
    const svg = executionGraph({ StartAt: name, States: { [name]: { Type: 'Task', End: true } } }, none);

    expect(node(svg, name).label).toMatch(/^CheckWhether.*…$/);
    expect(Array.from(node(svg, name).label).length).toBeLessThan(name.length);
    expect(node(svg, name).title).toContain(name);
  });

  it('given a state named with markup, when drawn, then its name is escaped everywhere and no tag of it is in the SVG', () => {
    const evil = '<script>alert("x")</script>&';
    const svg = executionGraph({ StartAt: 'Start', States: { Start: { Type: 'Task', Next: evil }, [evil]: { Type: '<b>Task</b>', End: true } } }, new Map([[evil, 'failed']]));

    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;');
    expect(node(svg, '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;').outcome).toBe('failed');
  });
});

describe('the key to the graph', () => {
  it('when drawn, then it names every outcome in its colour, and both kinds of edge', () => {
    const legend = graphLegend();

    for (const [outcome, { fill, label }] of Object.entries(OUTCOME_COLOURS)) {
      expect(legend).toMatch(new RegExp(`data-outcome="${outcome}"><rect [^>]*fill="${fill}"[^>]*/><text[^>]*>${label}</text>`));
    }
    expect(legend).toContain('data-kind="catch"');
    expect(legend).toMatch(/^<svg [^>]*role="img"/);
    expect(graphLegend()).toBe(legend);
  });
});
