/**
 * `npm start`: builds the app only when its sources changed since the last build (or
 * there is no complete build), then serves it: server/index.ts, run in this process, so
 * that SIGINT/SIGTERM and the exit code are the server's own.
 *
 *   node server/tools/start.ts
 *
 * Whether the build is current is decided by server/tools/build.ts (a fingerprint of the
 * sources, stamped into build/ after a successful build).
 */
import { decideBuild, exitLike, ROOT, runBuild } from './build.ts';

const decision = decideBuild(ROOT);
if (decision.build) {
	console.log(decision.reason === 'no build' ? 'no build yet: building…' : 'sources changed since the last build: building…');
	const exit = await runBuild(ROOT, decision.fingerprint);
	if (exit.code !== 0) exitLike(exit);
} else {
	console.log('build up to date, starting');
}

await import('../index.ts');
