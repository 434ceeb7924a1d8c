import { DetailType } from './events.ts';

/**
 * Detail-types of the contract that no playbook consumes yet (`ProductUsageRecorded`: the usage
 * playbooks are still to come). lib/catalog.ts declares them beside the playbooks, and its check fails
 * when a detail-type is neither consumed nor listed here. The ingest still puts such an event on the
 * bus (the stage's archive keeps it for a replay once a playbook uses it: nothing is lost) and says in
 * its answer that nothing happens now, never a silent 202. Here, not in lib/: the ingest's bundle reads it.
 */
export const NOT_USED_YET = [DetailType.ProductUsageRecorded] as const satisfies readonly DetailType[];
export type NotUsedYet = (typeof NOT_USED_YET)[number];

export function isNotUsedYet(type: string): type is NotUsedYet {
  return (NOT_USED_YET as readonly string[]).includes(type);
}
