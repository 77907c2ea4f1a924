#!/usr/bin/env node
// A stand-in for a Concerto node behind HAProxy, for deploy/test/run.sh: it answers
// /healthz like a node (200, or 503 while "draining"), tells every other request which
// node answered and what HAProxy forwarded (X-Forwarded-For, X-Forwarded-Proto, cookies),
// and accepts WebSocket upgrades, echoing what it receives after a line naming itself.
//
//   node stub-node.mjs <name> <port>        listens on 127.0.0.1 only
//   curl http://127.0.0.1:<port>/__drain    /healthz answers 503 from now on
//   curl http://127.0.0.1:<port>/__undrain  and 200 again
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';

const [name, port] = process.argv.slice(2);
if (!name || !port) {
	console.error('usage: node stub-node.mjs <name> <port>');
	process.exit(2);
}
let draining = false;

const server = createServer((req, res) => {
	const path = new URL(req.url, 'http://stub').pathname;
	if (path === '/healthz') {
		res.writeHead(draining ? 503 : 200, { 'content-type': 'application/json' });
		res.end(JSON.stringify({ status: draining ? 'draining' : 'ok', node: name }));
		return;
	}
	if (path === '/__drain' || path === '/__undrain') {
		draining = path === '/__drain';
		res.end(`${name} draining=${draining}\n`);
		return;
	}
	res.writeHead(200, { 'content-type': 'application/json' });
	res.end(
		JSON.stringify({
			node: name,
			url: req.url,
			xForwardedFor: req.headers['x-forwarded-for'] ?? null,
			xForwardedProto: req.headers['x-forwarded-proto'] ?? null,
			cookie: req.headers.cookie ?? null
		})
	);
});

server.on('upgrade', (req, socket) => {
	// A proxy checks the answer to the key (RFC 6455), as browsers do.
	const accept = createHash('sha1')
		.update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
		.digest('base64');
	socket.write(
		`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`
	);
	socket.write(`node=${name}\n`);
	socket.on('data', (chunk) => socket.write(chunk));
	socket.on('error', () => socket.destroy());
});

server.listen(Number(port), '127.0.0.1');
