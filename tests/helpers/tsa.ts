/**
 * A time-stamp authority (RFC 3161) for the tests: answers `application/timestamp-query`
 * POSTs with a token signed by a self-signed certificate, or, when told to, fails.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { readPkcs12, selfSignedPkcs12 } from '../../src/lib/server/signing/identity.ts';
import { contentInfoDer, OID, sha256, signedData } from '../../src/lib/server/signing/pades.ts';

export interface TestTsa {
	url: string;
	/** The tokens handed out: their TSTInfo, to compare with what was asked. */
	issued: pkijs.TSTInfo[];
	/** Answer 503 to everything from now on. */
	fail(): void;
	close(): Promise<void>;
}

export async function startTestTsa(): Promise<TestTsa> {
	const now = Date.now();
	const identity = readPkcs12(
		selfSignedPkcs12({ commonName: 'Autorité d’horodatage de test', organisation: 'Tests', password: 'tsa', notBefore: new Date(now - 86_400_000), notAfter: new Date(now + 86_400_000) }),
		'tsa'
	);
	const issued: pkijs.TSTInfo[] = [];
	let failing = false;
	let serial = 1;
	const server: Server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', async () => {
			if (failing || request.headers['content-type'] !== 'application/timestamp-query') {
				response.writeHead(503).end();
				return;
			}
			const body = Buffer.concat(chunks);
			const query = pkijs.TimeStampReq.fromBER(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
			const info = new pkijs.TSTInfo({
				version: 1,
				policy: '1.2.250.1.999.99.1',
				messageImprint: query.messageImprint,
				serialNumber: new asn1js.Integer({ value: serial++ }),
				genTime: new Date(),
				...(query.nonce ? { nonce: query.nonce } : {})
			});
			issued.push(info);
			const der = info.toSchema().toBER(false);
			const token = await signedData(identity, { type: OID.tstInfo, digest: sha256(new Uint8Array(der)), embedded: der });
			const reply = new pkijs.TimeStampResp({
				status: new pkijs.PKIStatusInfo({ status: pkijs.PKIStatus.granted }),
				timeStampToken: pkijs.ContentInfo.fromBER(contentInfoDer(token))
			});
			response.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(Buffer.from(reply.toSchema().toBER(false)));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/tsa`,
		issued,
		fail: () => (failing = true),
		close: () => new Promise((resolve) => server.close(() => resolve()))
	};
}
