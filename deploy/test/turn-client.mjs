#!/usr/bin/env node
// What a browser does with `turns:<host>:<port>?transport=tcp` and Concerto's TURN REST
// credentials, reduced to one check: connect over TLS (with the TURN name as SNI), allocate
// a UDP relay (RFC 5766, long-term credentials), ask for a permission towards a peer, and,
// when that is granted, send a datagram through the relay and wait for the peer's echo
// (turnutils_peer echoes what it receives).
//
//   node turn-client.mjs --connect 127.0.0.1:443 --servername turn.example.org \
//     --secret <static-auth-secret> --peer 127.0.0.1:3480 [--expect denied]
//
// Prints one line and exits 0 when the outcome is the expected one (relayed, or
// denied: the permission refused with 403), 1 otherwise. Test tooling: loopback only.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { connect } from 'node:tls';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
	options: {
		connect: { type: 'string' },
		servername: { type: 'string' },
		secret: { type: 'string' },
		peer: { type: 'string' },
		expect: { type: 'string', default: 'relayed' },
		timeout: { type: 'string', default: '8000' }
	}
});
for (const name of ['connect', 'servername', 'secret', 'peer']) {
	if (!args[name]) fail(`--${name} is required`);
}

const MAGIC = 0x2112a442;
const METHOD = { allocate: 0x003, createPermission: 0x008, send: 0x006, data: 0x007 };
const ATTR = {
	username: 0x0006,
	messageIntegrity: 0x0008,
	errorCode: 0x0009,
	xorPeerAddress: 0x0012,
	data: 0x0013,
	realm: 0x0014,
	nonce: 0x0015,
	xorRelayedAddress: 0x0016,
	requestedTransport: 0x0019
};

const [host, port] = splitHostPort(args.connect);
const [peerIp, peerPort] = splitHostPort(args.peer);
// The REST API scheme Concerto uses (server/sfu/ice-servers.ts): "<expiry>:<id>", HMAC-SHA1.
const username = `${Math.floor(Date.now() / 1000) + 600}:deploy-test`;
const password = createHmac('sha1', args.secret).update(username).digest('base64');

const timer = setTimeout(() => fail('timed out'), Number(args.timeout));
const socket = connect({ host, port, servername: args.servername, rejectUnauthorized: false });
socket.on('error', (error) => fail(`connection: ${error.message}`));
const incoming = messages(socket);

await new Promise((resolve) => socket.once('secureConnect', resolve));
const certificate = socket.getPeerCertificate();

let answer = await request(METHOD.allocate, [attr(ATTR.requestedTransport, Buffer.from([17, 0, 0, 0]))]);
if (errorCode(answer) !== 401) fail(`allocate without credentials: expected 401, got ${describe(answer)}`);
const realm = answer.attrs.get(ATTR.realm).toString();
const nonce = answer.attrs.get(ATTR.nonce).toString();
const key = createHash('md5').update(`${username}:${realm}:${password}`).digest();
const auth = () => [attr(ATTR.username, Buffer.from(username)), attr(ATTR.realm, Buffer.from(realm)), attr(ATTR.nonce, Buffer.from(nonce))];

answer = await request(METHOD.allocate, [attr(ATTR.requestedTransport, Buffer.from([17, 0, 0, 0])), ...auth()], key);
if (answer.cls !== 'success') fail(`allocate: ${describe(answer)}`);
const relayed = xorAddress(answer.attrs.get(ATTR.xorRelayedAddress));

answer = await request(METHOD.createPermission, [attr(ATTR.xorPeerAddress, xorAddressValue(peerIp, peerPort)), ...auth()], key);
const subject = certificate?.subject?.CN ?? '?';
if (args.expect === 'denied') {
	if (errorCode(answer) === 403) done(`denied: permission towards ${args.peer} refused (403), certificate CN=${subject}`);
	fail(`expected 403 for ${args.peer}, got ${describe(answer)}`);
}
if (answer.cls !== 'success') fail(`permission towards ${args.peer}: ${describe(answer)}`);

const payload = randomBytes(16);
socket.write(encode(METHOD.send, 'indication', [attr(ATTR.xorPeerAddress, xorAddressValue(peerIp, peerPort)), attr(ATTR.data, payload)]));
for (;;) {
	const message = await incoming.next();
	if (message.value?.method === METHOD.data && message.value.attrs.get(ATTR.data)?.equals(payload)) {
		done(`relayed: ${relayed} <-> ${args.peer}, echo received, certificate CN=${subject}`);
	}
	if (message.done) fail('connection closed before the echo');
}

// --- STUN encoding (RFC 5389) ----------------------------------------------------------

async function request(method, attrs, integrityKey) {
	const transaction = randomBytes(12);
	socket.write(encode(method, 'request', attrs, integrityKey, transaction));
	for (;;) {
		const message = await incoming.next();
		if (message.done) fail('connection closed while waiting for an answer');
		if (message.value.transaction.equals(transaction)) return message.value;
	}
}

function encode(method, cls, attrs, integrityKey, transaction = randomBytes(12)) {
	const classBits = { request: 0x0000, indication: 0x0010, success: 0x0100, error: 0x0110 }[cls];
	const type = (method & 0x000f) | ((method & 0x0070) << 1) | ((method & 0x0f80) << 2) | classBits;
	const body = Buffer.concat(attrs);
	const header = Buffer.alloc(20);
	header.writeUInt16BE(type, 0);
	header.writeUInt32BE(MAGIC, 4);
	transaction.copy(header, 8);
	if (!integrityKey) {
		header.writeUInt16BE(body.length, 2);
		return Buffer.concat([header, body]);
	}
	// MESSAGE-INTEGRITY covers the message with the length already counting itself.
	header.writeUInt16BE(body.length + 24, 2);
	const hmac = createHmac('sha1', integrityKey).update(Buffer.concat([header, body])).digest();
	return Buffer.concat([header, body, attr(ATTR.messageIntegrity, hmac)]);
}

function attr(type, value) {
	const padded = Buffer.alloc(4 + Math.ceil(value.length / 4) * 4);
	padded.writeUInt16BE(type, 0);
	padded.writeUInt16BE(value.length, 2);
	value.copy(padded, 4);
	return padded;
}

async function* messages(stream) {
	let buffered = Buffer.alloc(0);
	for await (const chunk of stream) {
		buffered = Buffer.concat([buffered, chunk]);
		while (buffered.length >= 20 && buffered.length >= 20 + buffered.readUInt16BE(2)) {
			const length = 20 + buffered.readUInt16BE(2);
			yield decode(buffered.subarray(0, length));
			buffered = buffered.subarray(length);
		}
	}
}

function decode(message) {
	const type = message.readUInt16BE(0);
	const method = (type & 0x000f) | ((type & 0x00e0) >> 1) | ((type & 0x3e00) >> 2);
	const cls = { 0x0000: 'request', 0x0010: 'indication', 0x0100: 'success', 0x0110: 'error' }[type & 0x0110];
	const attrs = new Map();
	for (let offset = 20; offset + 4 <= message.length; ) {
		const attrType = message.readUInt16BE(offset);
		const length = message.readUInt16BE(offset + 2);
		attrs.set(attrType, message.subarray(offset + 4, offset + 4 + length));
		offset += 4 + Math.ceil(length / 4) * 4;
	}
	return { method, cls, transaction: message.subarray(8, 20), attrs };
}

function errorCode(message) {
	const value = message.cls === 'error' ? message.attrs.get(ATTR.errorCode) : undefined;
	return value ? (value[2] & 0x07) * 100 + value[3] : undefined;
}

function describe(message) {
	const value = message.attrs.get(ATTR.errorCode);
	return message.cls === 'error' && value ? `error ${errorCode(message)} ${value.subarray(4).toString()}` : message.cls;
}

function xorAddressValue(ip, port) {
	const value = Buffer.alloc(8);
	value.writeUInt16BE(0x0001, 0);
	value.writeUInt16BE(port ^ (MAGIC >>> 16), 2);
	ip.split('.').forEach((byte, i) => value.writeUInt8(Number(byte), 4 + i));
	value.writeUInt32BE((value.readUInt32BE(4) ^ MAGIC) >>> 0, 4);
	return value;
}

function xorAddress(value) {
	const port = value.readUInt16BE(2) ^ (MAGIC >>> 16);
	const ip = (value.readUInt32BE(4) ^ MAGIC) >>> 0;
	return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}:${port}`;
}

function splitHostPort(text) {
	const at = text.lastIndexOf(':');
	if (at < 1) fail(`expected host:port, got ${text}`);
	return [text.slice(0, at), Number(text.slice(at + 1))];
}

function done(line) {
	console.log(line);
	clearTimeout(timer);
	socket.destroy();
	process.exit(0);
}

function fail(line) {
	console.log(`FAILED: ${line}`);
	process.exit(1);
}
