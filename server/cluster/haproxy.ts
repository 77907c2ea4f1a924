/**
 * The HAProxy configuration of a local cluster (`npm run cluster`, the cluster tests):
 * plain HTTP on loopback in front of the nodes. deploy/haproxy/haproxy.cfg is the
 * production one (TLS, TURN on 443); the routing rules are the same:
 *
 * - a request whose URL names a node (`?node=n2`, what a room's connection carries once
 *   it knows the meeting's host) goes to that node while it is up (`use-server`, which
 *   comes before cookies and is ignored when the node is down);
 * - anything else goes to the node with the fewest connections, and stays there
 *   (`CONCERTO_NODE` cookie) so that Socket.IO's long-polling fallback finds its session;
 * - a node that does not answer /healthz with 200 twice in a row (1 s apart) gets nothing
 *   new: a draining node answers 503; a request that cannot connect is sent elsewhere.
 */
export interface HaproxyNode {
	id: string;
	host: string;
	port: number;
}

export interface HaproxyOptions {
	/** Where browsers connect. */
	bind: { host: string; port: number };
	nodes: HaproxyNode[];
	/** The statistics page (server states), if wanted. */
	stats?: { host: string; port: number };
}

export function haproxyConfig(options: HaproxyOptions): string {
	const lines = [
		'global',
		'\tmaxconn 4000',
		'',
		'defaults',
		'\tmode http',
		'\toption forwardfor',
		// A request that cannot connect (a node just killed, not yet marked down) goes to
		// another node at its first retry, without HAProxy's one-second pause.
		'\toption redispatch 1',
		'\tretries 2',
		'\ttimeout connect 2s',
		'\ttimeout client 60s',
		'\ttimeout server 60s',
		// Socket.IO's WebSockets: kept open for a whole meeting; its pings keep them alive.
		'\ttimeout tunnel 1h',
		'\ttimeout client-fin 5s',
		'\ttimeout server-fin 5s',
		'',
		'frontend concerto',
		`\tbind ${options.bind.host}:${options.bind.port}`,
		'\tdefault_backend nodes',
		'',
		'backend nodes',
		'\tbalance leastconn',
		'\toption httpchk GET /healthz',
		'\thttp-check expect status 200',
		'\tcookie CONCERTO_NODE insert indirect nocache httponly',
		...options.nodes.map((node) => `\tuse-server ${node.id} if { urlp(node) -m str ${node.id} }`),
		...options.nodes.map((node) => `\tserver ${node.id} ${node.host}:${node.port} check inter 1s fall 2 rise 2 cookie ${node.id}`)
	];
	if (options.stats) {
		lines.push('', 'listen stats', `\tbind ${options.stats.host}:${options.stats.port}`, '\tstats enable', '\tstats uri /', '\tstats refresh 2s');
	}
	return `${lines.join('\n')}\n`;
}
