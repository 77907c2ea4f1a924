import { describe, expect, it } from 'vitest';
import { addressSettings, clientAddress } from './address.ts';

const handshake = (headers: Record<string, string>) => ({ address: '127.0.0.1', headers });

describe('clientAddress', () => {
	it('is the connection’s own address without a proxy header configured', () => {
		expect(clientAddress(handshake({ 'x-forwarded-for': '203.0.113.9' }), addressSettings({}))).toBe('127.0.0.1');
	});

	it('behind HAProxy, is the address the proxy added, not one the browser forged', () => {
		const settings = addressSettings({ ADDRESS_HEADER: 'X-Forwarded-For', XFF_DEPTH: '1' });
		expect(clientAddress(handshake({ 'x-forwarded-for': '10.6.6.6, 198.51.100.7' }), settings)).toBe('198.51.100.7');
		expect(clientAddress(handshake({}), settings)).toBe('127.0.0.1');
	});

	it('reads another header as it is', () => {
		expect(clientAddress(handshake({ 'x-real-ip': ' 198.51.100.8 ' }), addressSettings({ ADDRESS_HEADER: 'X-Real-IP' }))).toBe('198.51.100.8');
	});
});
