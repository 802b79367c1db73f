/**
 * Serves the built client from STATIC_DIR. Any path that is not a file gets
 * index.html, so a board address (/b/<id>) opened directly or reloaded works.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export function createStaticHandler(staticDir: string) {
  const root = path.resolve(staticDir);

  function sendFile(response: ServerResponse, file: string, immutable: boolean, head: boolean): void {
    const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
    const size = fs.statSync(file).size;
    response.writeHead(200, {
      'Content-Type': type,
      'Content-Length': size,
      // Vite puts a content hash in every asset name, so assets never change;
      // index.html must always be fresh so a new build is picked up.
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (head) response.end();
    else fs.createReadStream(file).pipe(response);
  }

  return function handleStatic(request: IncomingMessage, response: ServerResponse, pathname: string): void {
    const head = request.method === 'HEAD';
    if (request.method !== 'GET' && !head) {
      response.writeHead(405, { 'Content-Type': 'text/plain; charset=utf-8', Allow: 'GET, HEAD' });
      response.end('Method not allowed');
      return;
    }
    const index = path.join(root, 'index.html');
    if (!fs.existsSync(index)) {
      response.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('The app is not built yet. Run "npm run build", or start it with "npm start", which builds it.');
      return;
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      decoded = '/';
    }
    const file = path.resolve(root, '.' + path.posix.normalize(decoded));
    const inside = file === root || file.startsWith(root + path.sep);
    if (inside && file !== root && fs.existsSync(file) && fs.statSync(file).isFile()) {
      sendFile(response, file, decoded.startsWith('/assets/'), head);
      return;
    }
    sendFile(response, index, false, head);
  };
}
