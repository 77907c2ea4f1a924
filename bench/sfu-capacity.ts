/**
 * SFU capacity: forwarded tracks (consumers) and packets per worker core, beside
 * mediasoup's and LiveKit's published figures, and how many RCP-profile meetings one
 * 2-core node holds.
 *
 *   npm run capacity -- [--seconds 60] [--steps 1,2]
 *
 * The RCP profile: meetings of 12 participants, all with camera (3 simulcast layers) and
 * microphone (one voice at a time, the others silent with DTX), each receiving the
 * others at the layer of a 12-tile grid on a laptop (the smallest), one of them
 * presenting a document (pages, pointer) with the live meeting going on (proposal,
 * read-back, hands, chat).
 *
 * How the figures are derived. The bots run on the same machine and take most of it, so
 * the server cannot be pushed to its limit here; instead the server runs ONE mediasoup
 * worker, and for each load step the worker's own CPU time (from /proc, apart from the
 * bots' processes and the Node process) is measured over the steady state with the
 * consumers, forwarded packets and loss the bots see. Consumers per core at 80 % CPU =
 * consumers × 0.8 / measured worker CPU share (linear in the load, which the steps check:
 * the CPU per consumer should stay put from one step to the next), and only if the loss
 * measured stayed under 1 %. A 2-core node runs a worker per core next to its Node
 * process: the meetings it holds = 2 cores × 0.8 / (worker + Node CPU per meeting).
 */
import { parseArgs } from 'node:util';
import { DEFAULT_OPTIONS, runLoad, type LoadResult } from './load/run.ts';

/** Published anchors, for scale (different codecs, machines and clients: an order of magnitude). */
const MEDIASOUP_CONSUMERS_PER_WORKER = 500; // mediasoup.org, "Scalability": ~500 consumers per worker
const LIVEKIT_PACKETS_PER_VCPU = 48_000; // LiveKit load test, 150×150 720p: ~48 k forwarded packets/s per vCPU
const TARGET_CPU = 0.8;
const MAX_LOSS_PERCENT = 1;
const PARTICIPANTS = 12;

const { values } = parseArgs({ options: { seconds: { type: 'string' }, steps: { type: 'string' } } });
const seconds = Number(values.seconds ?? 60);
const steps = (values.steps ?? '1,2').split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);

interface Step {
	meetings: number;
	result: LoadResult;
	workerCpu: number;
	nodeCpu: number;
}

const measured: Step[] = [];
for (const meetings of steps) {
	console.log(`\n— step: ${meetings} RCP meeting(s) of ${PARTICIPANTS}, one worker, ${seconds} s —`);
	const result = await runLoad({
		...DEFAULT_OPTIONS,
		meetings,
		participants: PARTICIPANTS,
		publishers: PARTICIPANTS,
		seconds,
		receiveLayer: 0,
		live: true,
		caseSeconds: 60,
		workers: 1
	});
	measured.push({ meetings, result, workerCpu: result.steady.workerCores[0] ?? 0, nodeCpu: result.steady.nodeCores });
}

const f = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
console.log('\nMeasured (steady state, one worker):');
console.log('meetings  bots  consumers  forwarded pkt/s  loss %   worker CPU  Node CPU  bots CPU  CPU/consumer   longest video gap');
for (const s of measured) {
	const r = s.result;
	console.log(
		[
			f(s.meetings).padStart(8),
			f(r.joined).padStart(5),
			f(r.steady.consumers).padStart(10),
			f(r.steady.receivedPps).padStart(16),
			f(r.steady.lossPercent, 3).padStart(7),
			`${f(s.workerCpu * 100, 1)} %`.padStart(11),
			`${f(s.nodeCpu * 100, 1)} %`.padStart(9),
			`${f(r.steady.botCores * 100, 0)} %`.padStart(9),
			`${f((s.workerCpu * 1e6) / Math.max(1, r.steady.consumers), 0)} µs/s`.padStart(13),
			`${f(r.video.maxGapMs)} ms`.padStart(19)
		].join(' ')
	);
}

const usable = measured.filter((s) => s.result.steady.lossPercent < MAX_LOSS_PERCENT && s.workerCpu > 0 && s.result.joined === s.meetings * PARTICIPANTS);
if (usable.length === 0) {
	console.log('\nNo step stayed under 1 % loss with every bot in: no capacity figure.');
	process.exit(1);
}
// The largest step measured is the most representative (fixed costs weigh least).
const top = usable.at(-1)!;
const consumersPerCore = (top.result.steady.consumers * TARGET_CPU) / top.workerCpu;
const packetsPerCore = top.result.steady.receivedPps / top.workerCpu;
const workerPerMeeting = top.workerCpu / top.meetings;
const nodePerMeeting = top.nodeCpu / top.meetings;
const meetingsPerNode = Math.floor((2 * TARGET_CPU) / (workerPerMeeting + nodePerMeeting));

console.log('\nCapacity (extrapolated linearly from the largest step under 1 % loss):');
console.log(`  consumers per worker core at ${TARGET_CPU * 100} % CPU   ${f(consumersPerCore)}    (mediasoup: ~${MEDIASOUP_CONSUMERS_PER_WORKER} per worker)`);
console.log(`  forwarded packets/s per core (100 %)     ${f(packetsPerCore)}   (LiveKit: ~${f(LIVEKIT_PACKETS_PER_VCPU)} per vCPU)`);
console.log(`  one RCP meeting of ${PARTICIPANTS}: worker ${f(workerPerMeeting * 100, 1)} % of a core, Node ${f(nodePerMeeting * 100, 1)} %`);
console.log(`  RCP meetings one 2-core node holds (2 workers + Node at ≤ ${TARGET_CPU * 100} %): ${meetingsPerNode}`);
console.log(`  → SFU_CONSUMERS_PER_WORKER ≈ ${f(Math.floor(consumersPerCore / 50) * 50)} (the default the node's admission uses)`);
process.exit(0);
