import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A product's status as certification's `GET /products/:id/status` answers it (the product-status event's payload). */
export type ProductStatusBody = { productId: string; version: number; certificates: unknown[]; purchasable: boolean } & Record<string, unknown>;

export interface RunningCertificationStatus {
  /** Pass as orders' CERTIFICATION_URL. */
  url: string;
  /** Answer 503 to everything (certification out). */
  down: boolean;
  /** Requests received so far. */
  requests: number;
  /** What the endpoint answers for the product from now on (the certifier's decision; its event may come later). */
  set(status: ProductStatusBody): void;
  stop(): Promise<void>;
}

/**
 * Certification's public status endpoint played by a test that plays certification on the bus too
 * (orders asks it before money moves). Unknown products are 404, like certification's.
 */
export async function startCertificationStatus(): Promise<RunningCertificationStatus> {
  const statuses = new Map<string, ProductStatusBody>();
  const server = createServer((req, res) => {
    running.requests++;
    const match = /^\/products\/([^/?]+)\/status(?:\?.*)?$/.exec(req.url ?? '');
    if (running.down) return void res.writeHead(503, { 'content-type': 'application/json' }).end('{"message":"certification out (test)"}');
    const status = match ? statuses.get(decodeURIComponent(match[1])) : undefined;
    if (!status) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"not registered"}');
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(status));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const running: RunningCertificationStatus = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    down: false,
    requests: 0,
    set: (status) => void statuses.set(status.productId, status),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return running;
}
