import { messageKey, messageRef } from '../../core/alerts/alert.ts';
import { keys, type ItemKey } from '../table.ts';
import type { AlertAcknowledgement, AlertToPost, CompanyUpdate, CrmRisk, CrmTask, DirectNotification, EmailToSend, OutboundPorts, PortName } from '../ports.ts';

/**
 * What a dispatch asks of a vendor: one port call, with the request as the ledger wrote it. Plain
 * data, so that the ledger can keep it until the vendor is back; the request carries the idempotency
 * key the vendor deduplicates on.
 */
export type DispatchCall =
  | { port: 'crm'; method: 'upsertTask'; request: CrmTask }
  | { port: 'crm'; method: 'upsertRisk'; request: CrmRisk }
  | { port: 'crm'; method: 'updateCompany'; request: CompanyUpdate }
  | { port: 'alerts'; method: 'postAlert'; request: AlertToPost }
  | { port: 'alerts'; method: 'notifyPerson'; request: DirectNotification }
  /** The ✅ on an alert's message: where it was posted is read from the alert (`postedAs`) when its post is out. */
  | { port: 'alerts'; method: 'acknowledge'; request: Omit<AlertAcknowledgement, 'message'>; postedAs: ItemKey }
  | { port: 'mailer'; method: 'send'; request: EmailToSend };

/** An acknowledgement whose alert is not in the channel yet (its own post waits for Slack): tried again later. */
export class NotPostedYet extends Error {
  override readonly name = 'NotPostedYet';
  constructor() {
    super('the alert is not posted yet');
  }
}

/** `crm.upsertTask`…: how metrics and logs name a call. */
export const callName = (call: Pick<DispatchCall, 'port' | 'method'>): string => `${call.port}.${call.method}`;

/** The ports a dispatch may call: every vendor the playbooks mirror to, but the refund's finance channel, which keeps its own function. */
export const DISPATCH_PORTS = ['crm', 'alerts', 'mailer'] as const satisfies readonly PortName[];
export type DispatchPorts = Pick<OutboundPorts, (typeof DISPATCH_PORTS)[number]>;

/**
 * Make the call, and return what the ledger records of its answer on the item it mirrors: the CRM id,
 * where Slack posted it (`channel/ts`), SES's message id; undefined when the call answers nothing.
 */
export async function send(call: DispatchCall, ports: DispatchPorts, read: (key: ItemKey) => Promise<Record<string, unknown> | undefined>): Promise<string | undefined> {
  switch (call.method) {
    case 'acknowledge': {
      const posted = (await read(call.postedAs))?.slackMessage;
      if (typeof posted !== 'string') {
        // Its post will not come (a dead letter, the CSM posts it by hand): no message to react to.
        const post = await read(keys.dispatch(call.request.accountId, `${call.postedAs.sk}@slackMessage`));
        if (post?.dispatchQueue === 'dead') return undefined;
        throw new NotPostedYet();
      }
      await ports.alerts.acknowledge({ ...call.request, message: messageRef(posted) });
      return undefined;
    }
    case 'upsertTask':
      return (await ports.crm.upsertTask(call.request)).crmId;
    case 'upsertRisk':
      return (await ports.crm.upsertRisk(call.request)).crmId;
    case 'updateCompany':
      await ports.crm.updateCompany(call.request);
      return undefined;
    case 'postAlert':
      return messageKey(await ports.alerts.postAlert(call.request));
    case 'notifyPerson':
      return messageKey(await ports.alerts.notifyPerson(call.request));
    case 'send':
      return (await ports.mailer.send(call.request)).messageId;
  }
}
