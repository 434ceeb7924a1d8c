import type { OutboundPorts, PortName } from '../adapters/ports.ts';

// A module of its own: every Lambda's entry (./lambda.ts) needs it, and only the functions that call
// ports load ./lambda-ports.ts, with its adapters and its Secrets Manager client.

/** Ports a Lambda did not wire: calling one is a wiring error (handler.ts), never a silent outbox. */
export function unwiredPorts(functionId: string): OutboundPorts {
  const refuse = (port: PortName): never => {
    throw new Error(`${functionId} calls the ${port} port, which its handler.ts does not wire`);
  };
  return {
    get alerts() {
      return refuse('alerts');
    },
    get crm() {
      return refuse('crm');
    },
    get mailer() {
      return refuse('mailer');
    },
    get finance() {
      return refuse('finance');
    },
  };
}
