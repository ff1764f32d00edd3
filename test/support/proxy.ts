import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';

/** A forward proxy on loopback that tunnels every CONNECT to one fixed port (the sandbox). */
export interface TestProxy {
  url: string;
  /** The `host:port` of each CONNECT received. */
  tunnels: string[];
  /** Whether each CONNECT carried a Proxy-Authorization header. */
  authorized: boolean[];
  close(): Promise<void>;
}

export async function startProxy(targetPort: number): Promise<TestProxy> {
  const tunnels: string[] = [];
  const authorized: boolean[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((_request, response) => {
    response.statusCode = 405;
    response.end('this test proxy only tunnels');
  });
  server.on('connect', (request: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    tunnels.push(request.url ?? '');
    authorized.push(request.headers['proxy-authorization'] !== undefined);
    const upstream = net.connect(targetPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => socket.destroy());
      socket.on('close', () => sockets.delete(socket));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    authorized,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
