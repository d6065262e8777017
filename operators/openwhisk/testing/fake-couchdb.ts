/**
 * A CouchDB stand-in for running the init script for real (sh + curl) in tests, where no CouchDB exists: just the
 * document API the script uses (`/_up`, database PUT, document GET/PUT with `_rev` concurrency control, 409 on a
 * stale or missing `_rev`, basic auth), answering like CouchDB 3 (compact JSON, `_id` and `_rev` first).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeCouchDB {
  url: string;
  /** database → document id → the stored document (with `_id` and `_rev`). */
  databases: Map<string, Map<string, Record<string, unknown>>>;
  stop(): Promise<void>;
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeCouchDB(user: string, password: string): Promise<FakeCouchDB> {
  const databases = new Map<string, Map<string, Record<string, unknown>>>();
  const expectedAuth = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const server: Server = createServer((req, res) => {
    const send = (code: number, body: unknown) => {
      res.writeHead(code, { 'Content-Type': 'application/json' });
      res.end(`${JSON.stringify(body)}\n`);
    };
    void (async () => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).slice(1);
      if (path === '_up') return send(200, { status: 'ok' });
      if (req.headers.authorization !== expectedAuth) return send(401, { error: 'unauthorized' });
      const [dbName = '', ...rest] = path.split('/');
      const docId = rest.join('/');
      const db = databases.get(dbName);
      if (docId === '') {
        if (req.method === 'PUT') {
          if (db) return send(412, { error: 'file_exists' });
          databases.set(dbName, new Map());
          return send(201, { ok: true });
        }
        return db ? send(200, { db_name: dbName }) : send(404, { error: 'not_found' });
      }
      if (!db) return send(404, { error: 'not_found', reason: 'Database does not exist.' });
      const stored = db.get(docId);
      if (req.method === 'GET') return stored ? send(200, stored) : send(404, { error: 'not_found', reason: 'missing' });
      if (req.method !== 'PUT') return send(405, { error: 'method_not_allowed' });
      const doc = JSON.parse(await bodyOf(req)) as Record<string, unknown>;
      const { _rev: rev, _id: ignored, ...fields } = doc;
      void ignored;
      if ((stored?.['_rev'] ?? undefined) !== rev) return send(409, { error: 'conflict', reason: 'Document update conflict.' });
      const generation = stored ? Number(String(stored['_rev']).split('-')[0]) + 1 : 1;
      const newRev = `${generation}-${Math.random().toString(16).slice(2, 10)}`;
      db.set(docId, { _id: docId, _rev: newRev, ...fields });
      return send(201, { ok: true, id: docId, rev: newRev });
    })().catch((error: unknown) => send(500, { error: 'internal', reason: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    databases,
    stop: () => new Promise<void>((resolve) => { server.close(() => resolve()); }),
  };
}
