// A plain static file server for the built playground — what "any static file server" means: files by path, a
// content type by extension, nothing computed. It logs every request so a test can see what the page fetched.
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm',
  '.json': 'application/json', '.png': 'image/png',
};

export interface StaticServer {
  url: string;
  requests: { path: string; status: number }[];
  close(): Promise<void>;
}

/** `mounts`: URL prefix → folder ('/' for the site itself). */
export async function serveStatic(mounts: Record<string, string>): Promise<StaticServer> {
  const requests: StaticServer['requests'] = [];
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const server: Server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const prefix = prefixes.find((p) => path.startsWith(p))!;
    const rel = normalize(path.slice(prefix.length)).replace(/^(\.\.[/\\])+/, '');
    const file = join(mounts[prefix]!, rel.endsWith('/') || rel === '' || rel === '.' ? join(rel, 'index.html') : rel);
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
      requests.push({ path, status: 200 });
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end(`no ${path}`);
      requests.push({ path, status: 404 });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
