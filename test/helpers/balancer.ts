/**
 * A load balancer with no sticky sessions, for the multi-instance tests: a
 * plain TCP proxy on a free port that sends each new connection to the next
 * instance in turn, skipping any that refuses it (a killed one). Clients
 * that lose their instance reconnect to the balancer and land on another.
 */
import net from 'node:net';

export interface Balancer {
  port: number;
  url: string;
  wsUrl: string;
  /** How many connections went to each backend port. */
  routed: Map<number, number>;
  close(): Promise<void>;
}

export async function startBalancer(backendPorts: number[]): Promise<Balancer> {
  let next = 0;
  const routed = new Map<number, number>();
  const sockets = new Set<net.Socket>();

  const connectTo = (client: net.Socket, attempt: number) => {
    if (attempt >= backendPorts.length) {
      client.destroy();
      return;
    }
    const port = backendPorts[next++ % backendPorts.length];
    const backend = net.connect(port, '127.0.0.1');
    sockets.add(backend);
    let connected = false;
    backend.once('connect', () => {
      connected = true;
      routed.set(port, (routed.get(port) ?? 0) + 1);
      client.pipe(backend);
      backend.pipe(client);
      client.resume();
    });
    backend.on('error', () => {
      if (!connected) connectTo(client, attempt + 1);
      else client.destroy();
    });
    backend.on('close', () => {
      sockets.delete(backend);
      if (connected) client.destroy();
    });
    client.on('close', () => backend.destroy());
    client.on('error', () => backend.destroy());
  };

  const server = net.createServer({ pauseOnConnect: true }, (client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    connectTo(client, 0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    routed,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
