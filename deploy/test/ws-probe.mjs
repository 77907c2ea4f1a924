#!/usr/bin/env node
// Opens a WebSocket-style upgrade through HAProxy's :443 (TLS, with SNI), as a browser's
// Socket.IO does, and reports which node accepted it (deploy/test/stub-node.mjs names
// itself). With --echo-after, keeps the connection open that long, then checks that it
// still carries data both ways (what a meeting needs while its node is being drained).
//
//   node ws-probe.mjs --connect 127.0.0.1:443 --servername rcp.example.org \
//     --path '/socket.io/?EIO=4&transport=websocket&node=n2' [--echo-after 4000]
//
// Prints "node=<name>" (and " echo=ok") and exits 0, or prints FAILED and exits 1.
import { connect } from 'node:tls';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
	options: {
		connect: { type: 'string' },
		servername: { type: 'string' },
		path: { type: 'string' },
		'echo-after': { type: 'string' },
		timeout: { type: 'string', default: '15000' }
	}
});
const at = args.connect?.lastIndexOf(':') ?? -1;
if (at < 1 || !args.servername || !args.path) fail('--connect host:port, --servername and --path are required');

setTimeout(() => fail('timed out'), Number(args.timeout)).unref();
const socket = connect({
	host: args.connect.slice(0, at),
	port: Number(args.connect.slice(at + 1)),
	servername: args.servername,
	ALPNProtocols: ['http/1.1'],
	rejectUnauthorized: false
});
socket.on('error', (error) => fail(`connection: ${error.message}`));
socket.once('secureConnect', () => {
	socket.write(
		`GET ${args.path} HTTP/1.1\r\nHost: ${args.servername}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
			'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n'
	);
});

let received = '';
let node;
socket.on('data', (chunk) => {
	received += chunk.toString();
	if (!node) {
		if (!received.includes('\r\n\r\n')) return;
		const status = received.slice(0, received.indexOf('\r\n'));
		if (!status.includes(' 101 ')) fail(`no upgrade: ${status}`);
		const named = /node=([a-z0-9-]+)\n/.exec(received);
		if (!named) return;
		node = named[1];
		if (!args['echo-after']) done(`node=${node}`);
		setTimeout(() => {
			received = '';
			socket.write('still-there\n');
		}, Number(args['echo-after']));
		received = '';
		return;
	}
	if (received.includes('still-there\n')) done(`node=${node} echo=ok`);
});
socket.on('close', () => fail(node ? `node=${node}: connection closed` : 'connection closed'));

function done(line) {
	console.log(line);
	socket.removeAllListeners('close');
	socket.destroy();
	process.exit(0);
}

function fail(line) {
	console.log(`FAILED: ${line}`);
	process.exit(1);
}
