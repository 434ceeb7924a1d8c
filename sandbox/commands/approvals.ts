import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { sandboxApprovalSecrets } from '../secrets.ts';
import { standardWebhookHeaders } from '../vendor-signing.ts';
import { CliError, type Command } from './command.ts';
import { fetchSandbox } from './io.ts';
import { baseUrl, parseOptions } from './options.ts';

export const approvals: Command = {
  name: 'approvals',
  summary: "list the e-mails waiting for a CSM's approval",
  usage: `playbooks approvals [--url http://127.0.0.1:3000] [--all]

  List the e-mails waiting for a CSM's approval in the running sandbox (all approvals with --all).`,
  async run(args) {
    const { values } = parseOptions({ args, options: { url: { type: 'string' }, all: { type: 'boolean' } } });
    const response = await fetchSandbox(`${baseUrl(values.url)}/api/approvals${values.all ? '?status=all' : ''}`);
    console.log(await response.text());
    return response.ok ? 0 : 1;
  },
};

export const approve: Command = {
  name: 'approve',
  summary: 'approve an e-mail, edited or not: the playbook resumes and sends it',
  usage: `playbooks approve <approvalId> [--edit-subject <text>] [--edit-text <text>] [--by <who>] [--url …]

  Approve an e-mail, edited or not: the playbook resumes and sends it.
  --cancel cancels it instead (as cancel-approval).`,
  run: (args) => decideApproval(args, 'approve'),
};

export const cancelApproval: Command = {
  name: 'cancel-approval',
  summary: 'cancel an e-mail waiting for approval: the playbook ends without sending',
  usage: `playbooks cancel-approval <approvalId> [--by <who>] [--url …]

  Cancel it: the playbook ends without sending (also: approve <approvalId> --cancel).`,
  run: (args) => decideApproval(args, 'cancel'),
};

/**
 * `approve` and `cancel-approval`: a decision signed with the sandbox's approval secret, posted to
 * `POST /approvals/<id>` of the running sandbox, exactly as a deployed stage's endpoint receives it.
 */
async function decideApproval(args: string[], command: 'approve' | 'cancel'): Promise<number> {
  const { values, positionals } = parseOptions({
    args,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      by: { type: 'string' },
      cancel: { type: 'boolean' },
      'edit-subject': { type: 'string' },
      'edit-text': { type: 'string' },
    },
  }, 1);
  const [approvalId] = positionals;
  const decision = command === 'cancel' || values.cancel ? 'cancel' : 'approve';
  const edits = {
    ...(values['edit-subject'] === undefined ? {} : { subject: values['edit-subject'] }),
    ...(values['edit-text'] === undefined ? {} : { text: values['edit-text'] }),
  };
  if (!approvalId) throw new CliError(`${command === 'cancel' ? 'cancel-approval' : 'approve'} needs an approval id (playbooks approvals lists them)`, 2);
  if (decision === 'cancel' && Object.keys(edits).length > 0) throw new CliError('a cancelled approval takes no edits: drop --edit-subject/--edit-text or --cancel', 2);
  const body = {
    approvalId,
    decision,
    ...(Object.keys(edits).length > 0 ? { edits } : {}),
    decidedBy: values.by ?? userInfo().username,
  };
  const [secret] = sandboxApprovalSecrets();
  return postSigned(`${baseUrl(values.url)}/approvals/${encodeURIComponent(approvalId)}`, JSON.stringify(body), secret!);
}

/** POST `payload` as a Standard Webhooks message signed with `secret`; prints the answer. */
async function postSigned(url: string, payload: string, secret: string): Promise<number> {
  const response = await fetchSandbox(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...standardWebhookHeaders(`msg_${randomUUID()}`, payload, secret, new Date()) },
    body: payload,
  });
  console.log(`${response.status} ${response.statusText}`);
  console.log(await response.text());
  return response.ok ? 0 : 1;
}
