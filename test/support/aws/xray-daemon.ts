import { createSocket } from 'node:dgram';

/** A (sub)segment document as the X-Ray SDK sends it to the daemon. */
export interface TraceDocument {
  id: string;
  name: string;
  trace_id: string;
  parent_id?: string;
  type?: 'subsegment';
  namespace?: string;
  aws?: { operation?: string; region?: string; retries?: number; table_name?: string };
  annotations?: Record<string, unknown>;
  error?: boolean;
  fault?: boolean;
  start_time: number;
  end_time?: number;
}

/**
 * The X-Ray daemon's side of its protocol, on 127.0.0.1: UDP datagrams of a JSON header
 * (`{"format":"json","version":1}`), a newline and one segment or subsegment document, which the daemon
 * would forward to X-Ray (https://docs.aws.amazon.com/xray/latest/devguide/xray-api-sendingdata.html).
 * A datagram in another shape is kept in `malformed`.
 */
export interface LocalXRayDaemon {
  /** What AWS_XRAY_DAEMON_ADDRESS says. */
  address: string;
  readonly documents: readonly TraceDocument[];
  readonly malformed: readonly string[];
  close(): Promise<void>;
}

const HEADER = '{"format":"json","version":1}';

export async function startLocalXRayDaemon(): Promise<LocalXRayDaemon> {
  const socket = createSocket('udp4');
  const documents: TraceDocument[] = [];
  const malformed: string[] = [];
  socket.on('message', (message) => {
    const text = message.toString('utf8');
    const newline = text.indexOf('\n');
    try {
      if (newline < 0 || text.slice(0, newline) !== HEADER) throw new Error('no header');
      documents.push(JSON.parse(text.slice(newline + 1)) as TraceDocument);
    } catch {
      malformed.push(text.slice(0, 200));
    }
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${socket.address().port}`,
    documents,
    malformed,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
