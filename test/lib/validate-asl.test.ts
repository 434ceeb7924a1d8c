import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLAYBOOKS, type PlaybookEntry } from '../../lib/catalog.ts';
import { PROJECT_ROOT } from '../../lib/project-root.ts';
import { checkDefinition } from '../../scripts/validate-asl.ts';
import { APPROVAL_REHEARSAL } from '../support/approval-rehearsal.ts';

const nps = PLAYBOOKS.find((p) => p.id === 'nps-response')! as PlaybookEntry;
const npsText = () => readFileSync(join(PROJECT_ROOT, nps.definitionFile), 'utf8');
const noContact = PLAYBOOKS.find((p) => p.id === 'no-contact')! as PlaybookEntry;
const noContactText = () => readFileSync(join(PROJECT_ROOT, noContact.definitionFile), 'utf8');

describe('validate-asl: the checks behind `npm run validate-asl`', () => {
  it.each(PLAYBOOKS.map((p) => [p.id, p] as const))('given the %s definition as committed, then it has no error', (_, playbook) => {
    const text = readFileSync(join(PROJECT_ROOT, playbook.definitionFile), 'utf8');
    expect(checkDefinition(playbook.definitionFile, text, playbook)).toEqual([]);
  });

  it('given an action the catalog does not have, then it is an error', () => {
    const text = npsText().replace('"Action": "open-risk"', '"Action": "open-risks"');
    expect(checkDefinition(nps.definitionFile, text, nps)).toEqual([`${nps.definitionFile}: Task OpenChurnRisk calls "open-risks", which is no action of the catalog (lib/functions.ts)`]);
  });

  it('given a ${…} that names no catalog function, then it is an error', () => {
    const text = npsText().replace('"Action": "open-risk"', '"Resource": "${OpenRiskFunctionArm}"');
    const errors = checkDefinition(nps.definitionFile, text, nps);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringContaining("${OpenRiskFunctionArm} is not the substitution of any domain's function"),
        expect.stringContaining('nps-response lists open-risk but no Task calls it'),
      ]),
    );
  });

  it("given an action of the catalog that is not among the playbook's functions, then it is an error", () => {
    const text = npsText().replace('"Action": "open-risk"', '"Action": "upsert-account"');
    expect(checkDefinition(nps.definitionFile, text, nps)).toEqual(
      expect.arrayContaining([expect.stringContaining('calls upsert-account, which is not in nps-response')]),
    );
  });

  it("given a domain's function written by hand for an action of another domain, or with no action, then it is an error", () => {
    const flow = JSON.parse(npsText()) as { States: Record<string, Record<string, unknown>> };
    const { Action: _action, Parameters, ...openChurnRisk } = flow.States.OpenChurnRisk!;
    flow.States.OpenChurnRisk = { ...openChurnRisk, Resource: '${TasksFunctionArn}', Parameters: { action: 'open-risk', input: Parameters } };
    flow.States.CheckStoreCall = { ...flow.States.CheckStoreCall!, Action: undefined, Resource: '${NpsFunctionArn}' };
    expect(checkDefinition(nps.definitionFile, JSON.stringify(flow), nps, { catalogFlow: false })).toEqual(
      expect.arrayContaining([
        `${nps.definitionFile}: Task OpenChurnRisk asks the tasks function for "open-risk", which is not one of its actions`,
        `${nps.definitionFile}: Task CheckStoreCall calls the nps function with no action (its request is { action, input })`,
      ]),
    );
  });

  it('given a literal Lambda ARN in the file, then it is an error', () => {
    const text = npsText().replace('"Action": "open-risk"', '"Resource": "arn:aws:lambda:eu-west-1:123456789012:function:open-risk"');
    expect(checkDefinition(nps.definitionFile, text, nps)).toEqual(expect.arrayContaining([expect.stringContaining('literal ARN')]));
  });

  it('given a transition to a state that does not exist, then asl-validator reports it', () => {
    const [next, state] = /"Next": "([^"]+)"/.exec(npsText())!;
    const text = npsText().replace(next, `"Next": "${state}Missing"`);
    expect(checkDefinition(nps.definitionFile, text, nps).join('\n')).toContain(`${state}Missing`);
  });

  it('given a ${…} the catalog token does not recognise (not letters, digits, _), then it is a malformed substitution', () => {
    const text = npsText().replace('"Action": "open-risk"', '"Resource": "${Open-RiskFunctionArn}"');
    expect(checkDefinition(nps.definitionFile, text, nps)).toEqual(
      expect.arrayContaining([expect.stringContaining('malformed substitution "${Open-RiskFunctionArn}'), expect.stringContaining('lists open-risk but no Task calls it')]),
    );
  });

  it('given a playbook that waits on lambda:invoke.waitForTaskToken (the approval fixture), then the integration ARN is no literal ARN and the file has no error', () => {
    const text = readFileSync(join(PROJECT_ROOT, APPROVAL_REHEARSAL.definitionFile), 'utf8');
    expect(text).toContain('"arn:aws:states:::lambda:invoke.waitForTaskToken"');
    expect(checkDefinition(APPROVAL_REHEARSAL.definitionFile, text, APPROVAL_REHEARSAL, { catalogFlow: false })).toEqual([]);
  });

  it('given a literal state machine or Lambda ARN next to an integration ARN, then only the former is an error', () => {
    // RequestApproval as plain ASL, naming its function itself instead of its action.
    const flow = JSON.parse(readFileSync(join(PROJECT_ROOT, APPROVAL_REHEARSAL.definitionFile), 'utf8')) as { States: Record<string, Record<string, unknown>> };
    const { Action: _action, Parameters, ...requestApproval } = flow.States.RequestApproval!;
    flow.States.RequestApproval = { ...requestApproval, Parameters: { FunctionName: 'arn:aws:lambda:eu-west-1:123456789012:function:request-approval', Payload: Parameters } };
    const text = JSON.stringify(flow);
    expect(checkDefinition(APPROVAL_REHEARSAL.definitionFile, text, APPROVAL_REHEARSAL, { catalogFlow: false }).filter((e) => e.includes('literal ARN'))).toEqual([
      `${APPROVAL_REHEARSAL.definitionFile}: literal ARN arn:aws:lambda:eu-west-1:123456789012:function:request-approval`,
    ]);
  });

  it('given a file no playbook points to, then it is an error', () => {
    expect(checkDefinition('statemachines/orphan.asl.json', npsText(), undefined)).toEqual([
      'statemachines/orphan.asl.json: no playbook of lib/catalog.ts has this definitionFile',
    ]);
  });

  it('given the startExecution service integration as a Resource, then it is not a literal ARN: it names an API, not a resource', () => {
    expect(noContactText()).toContain('"Resource": "arn:aws:states:::states:startExecution"');
    expect(checkDefinition(noContact.definitionFile, noContactText(), noContact)).toEqual([]);
  });

  it("given a playbook that starts itself but no state uses its own ARN's ${…}, then it is an error", () => {
    const text = noContactText().replace('${NoContactStateMachineArn}', 'not-substituted');
    expect(checkDefinition(noContact.definitionFile, text, noContact)).toEqual(
      expect.arrayContaining([expect.stringContaining('no-contact starts itself but no state uses ${NoContactStateMachineArn}')]),
    );
  });

  it("given another playbook's state machine ARN, or its own without startsItself in the catalog, then it is an error", () => {
    const other = noContactText().replace('${NoContactStateMachineArn}', '${NpsResponseStateMachineArn}');
    expect(checkDefinition(noContact.definitionFile, other, noContact)).toEqual(
      expect.arrayContaining([expect.stringContaining('${NpsResponseStateMachineArn} is a state machine')]),
    );
    const notDeclared = { ...noContact, startsItself: false };
    expect(checkDefinition(noContact.definitionFile, noContactText(), notDeclared)).toEqual(
      expect.arrayContaining([expect.stringContaining('${NoContactStateMachineArn} is a state machine')]),
    );
  });

  it('given a Task of a catalog flow that writes its own Retry, then it is an error: its policy writes it', () => {
    const text = npsText().replace('"Policy": "step"', '"Retry": [{ "ErrorEquals": ["States.ALL"], "MaxAttempts": 1 }]');
    expect(checkDefinition(nps.definitionFile, text, nps)).toEqual(expect.arrayContaining([expect.stringMatching(/Task \w+ writes a Retry: name its failure policy instead/)]));
  });

  it('given a Task that names no failure policy, or one that does not exist, then it is an error naming the policies', () => {
    const none = npsText().replace('"Policy": "step",', '');
    expect(checkDefinition(nps.definitionFile, none, nps).join('\n')).toMatch(/names no failure policy \("Policy": one of step, follow-up, callback, hand-over, stage-job, refund-request\)/);
    const unknown = npsText().replace('"Policy": "step"', '"Policy": "patient"');
    expect(checkDefinition(nps.definitionFile, unknown, nps).join('\n')).toContain('follows "patient", which is no failure policy');
  });
});
