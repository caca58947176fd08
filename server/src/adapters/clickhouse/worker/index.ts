// chDB in a worker thread behind a regular ClickHouseClient (see connection.ts).
import { createClient, type ClickHouseClient, type ClickHouseClientConfigOptions } from '@clickhouse/client';
import { ChdbWorkerConnection, type ChdbWorkerOptions } from './connection.js';

export { ChdbWorkerConnection, type ChdbWorkerOptions } from './connection.js';

type ClientConnection = NonNullable<ClickHouseClientConfigOptions['connection']>;

export interface ChdbWorkerClient {
  client: ClickHouseClient;
  connection: ChdbWorkerConnection;
}

export async function openChdbWorkerClient(
  o: ChdbWorkerOptions & { log?: ClickHouseClientConfigOptions['log'] },
): Promise<ChdbWorkerClient> {
  const connection = await ChdbWorkerConnection.start(o);
  // Structurally the Connection contract; the class is not declared against the
  // client-common interface only because that package is not a direct dependency.
  const client = createClient({ connection: connection as unknown as ClientConnection, log: o.log });
  return { client, connection };
}
