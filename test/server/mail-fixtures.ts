// A real SMTP server for the tests (smtp-server, from the nodemailer project) on 127.0.0.1 and
// a free port, keeping each message it takes, parsed by mailparser; and a silent TCP server for
// an SMTP server that never answers.
import { simpleParser, type ParsedMail } from 'mailparser';
import net, { type AddressInfo, type Socket } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export type Received = {
  envelope: { from: string; to: string[] };
  /** Whether the session was encrypted (smtps, or after STARTTLS). */
  secure: boolean;
  user: string | undefined;
  raw: string;
  mail: ParsedMail;
};

export type TestSmtp = {
  port: number;
  /** smtp://127.0.0.1:<port>, without credentials. */
  url: string;
  received: Received[];
  /** The next message taken (or one taken already and not yet handed out). */
  next(): Promise<Received>;
  /** Cuts every open connection, as a crashing server would (plain SMTP only). */
  dropConnections(): void;
  close(): Promise<void>;
};

/**
 * Plain SMTP without STARTTLS and without a login unless `options` say otherwise. An `onData` or
 * `onRcptTo` in `options` replaces the default (which takes every message).
 */
export async function startSmtp(options: SMTPServerOptions = {}): Promise<TestSmtp> {
  const received: Received[] = [];
  const waiting: ((message: Received) => void)[] = [];
  let handedOut = 0;
  const sockets = new Set<Socket>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 200,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks);
        const message: Received = {
          envelope: {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((to) => to.address),
          },
          secure: session.secure,
          user: typeof session.user === 'string' ? session.user : undefined,
          raw: raw.toString('utf8'),
          mail: await simpleParser(raw),
        };
        received.push(message);
        waiting.shift()?.(message);
        callback();
      });
    },
    ...options,
  });
  // A client that gives up on the TLS handshake (the certificate test) is an 'error' of the
  // server; unheard, it would end the test process.
  server.on('error', () => {});
  // Plain connections only: destroying the TCP socket under a TLS one (smtps) crashed Node 20 with
  // a segmentation fault. A TLS server's connections end with the client's QUIT, or its refusal.
  if (!options.secure) {
    server.server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    next() {
      const index = handedOut++;
      if (index < received.length) return Promise.resolve(received[index]!);
      return new Promise((resolve) => waiting.push(resolve));
    },
    dropConnections() {
      for (const socket of sockets) socket.destroy();
    },
    // smtp-server ends the connections still open after its closeTimeout, each its own way.
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An SMTP error as smtp-server sends it: `550 <message>`. */
export function smtpError(responseCode: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode });
}

/** A server that takes connections and never says a word: no greeting, no answer. */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on (taken, then freed): connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
