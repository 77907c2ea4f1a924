/**
 * Structured logging (pino). Log ids and reasons, never patient data: case fields,
 * names typed by users and request bodies stay out of log lines. The redaction list is
 * a second line of defence for fields that might slip into a logged object.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

const REDACTED_PATHS = [
	'password',
	'*.password',
	'authorization',
	'*.authorization',
	'cookie',
	'*.cookie',
	'displayName',
	'*.displayName',
	'patient',
	'*.patient'
];

export function createLogger(level: string): Logger {
	return pino({
		level,
		base: { app: 'concerto' },
		redact: { paths: REDACTED_PATHS, censor: '[redacted]' }
	});
}
