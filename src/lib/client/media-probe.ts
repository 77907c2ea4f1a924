/**
 * The pre-join connection check: can this browser reach the media server over UDP, over
 * TCP? Each probe opens its own signaling connection and a throwaway transport on the
 * server (`probe:*`), and answers whether ICE and DTLS got through within 6 s.
 */
import { Device } from 'mediasoup-client';
import type { RtpCapabilities } from 'mediasoup-client/types';
import { connectSignaling, request } from './signaling';

const PROBE_TIMEOUT_MS = 6_000;

export async function probeMediaServer(protocol: 'udp' | 'tcp'): Promise<'ok' | 'failed'> {
	const socket = connectSignaling();
	let probeId: string | undefined;
	try {
		await new Promise<void>((resolve, reject) => {
			socket.once('connect', () => resolve());
			socket.once('connect_error', reject);
		});
		const probe = await request(socket, 'probe:create', { protocol });
		probeId = probe.probeId;
		const device = new Device();
		await device.load({ routerRtpCapabilities: probe.routerRtpCapabilities as RtpCapabilities });
		const transport = device.createSendTransport({
			...(probe.transport as unknown as Parameters<Device['createSendTransport']>[0]),
			sctpParameters: probe.sctpParameters as Parameters<Device['createSendTransport']>[0]['sctpParameters']
		});
		transport.on('connect', ({ dtlsParameters }, done, fail) => {
			request(socket, 'probe:connect', { probeId: probe.probeId, dtlsParameters: dtlsParameters as never })
				.then(() => done())
				.catch(fail);
		});
		// No data producer is created on the server: the connection alone is the answer.
		transport.on('producedata', (_parameters, done) => done({ id: 'probe' }));
		const connected = new Promise<'ok' | 'failed'>((resolve) => {
			const timer = setTimeout(() => resolve('failed'), PROBE_TIMEOUT_MS);
			transport.on('connectionstatechange', (state) => {
				if (state === 'connected') {
					clearTimeout(timer);
					resolve('ok');
				} else if (state === 'failed') {
					clearTimeout(timer);
					resolve('failed');
				}
			});
		});
		void transport.produceData().catch(() => {});
		const result = await connected;
		transport.close();
		return result;
	} catch {
		return 'failed';
	} finally {
		if (probeId) await request(socket, 'probe:close', { probeId }).catch(() => {});
		socket.disconnect();
	}
}
