// Baseline for scenario a: the "usual" chat server — Socket.IO rooms, every
// message INSERTed into Postgres (one statement, one commit per message), then
// relayed to the room and acknowledged. Started by load-tests/run.ts:
//   PORT=0 DATABASE_URL=postgres://… tsx load-tests/baselines/socketio-relay.ts
// Prints `listening <port>` once ready.
import http from 'node:http';
import postgres from 'postgres';
import { Server } from 'socket.io';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('DATABASE_URL is required');
const sql = postgres(databaseUrl, { max: 10, onnotice: () => {} });
await sql`create table if not exists relay_messages (
  id bigserial primary key, conversation text not null, sender text not null, body text not null,
  created_at timestamptz not null default now())`;

const httpServer = http.createServer();
const io = new Server(httpServer, { transports: ['websocket'], perMessageDeflate: false, serveClient: false });

io.on('connection', (socket) => {
  socket.on('join', (room: string, ack?: () => void) => {
    void socket.join(room);
    ack?.();
  });
  socket.on('msg', async (m: { c: string; id: string; text: string }, ack?: (r: unknown) => void) => {
    try {
      const [row] = await sql<{ id: string }[]>`insert into relay_messages (conversation, sender, body) values (${m.c}, ${socket.id}, ${m.text}) returning id`;
      socket.to(m.c).emit('msg', { ...m, seq: Number(row!.id) });
      ack?.({ seq: Number(row!.id) });
    } catch (err) {
      ack?.({ error: String(err) });
    }
  });
});

httpServer.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const addr = httpServer.address() as { port: number };
  process.stdout.write(`listening ${addr.port}\n`);
});

const stop = () => {
  io.close();
  void sql.end({ timeout: 2 }).finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
