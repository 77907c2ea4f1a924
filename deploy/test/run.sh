#!/usr/bin/env bash
# Checks the deployment files of deploy/ on this machine, the way an operator's first
# hour would, without a Concerto build and without sending a packet off this machine:
#
#   - HAProxy: both configurations parse (`haproxy -c`), then the production one runs
#     against two stand-in nodes (stub-node.mjs) and coturn, everything moved to
#     loopback ports: routing by `?node=`, the cookie, X-Forwarded-For, HTTP/2, the
#     redirect, the SNI split of :443 between HTTPS and TURN over TLS, WebSockets, what
#     a draining or dead node changes, the stats page;
#   - coturn: both configurations start, allocate a relay with Concerto's REST
#     credentials over TLS, relay to an allowed peer and refuse a denied one;
#   - systemd: the unit passes `systemd-analyze verify`; the example env file names only
#     variables Concerto reads;
#   - compose: `docker compose config` accepts compose.yaml with .env.example's values.
#
#   bash deploy/test/run.sh        (as root or not; Debian packages: haproxy coturn curl
#                                   openssl; node >= 18; systemd-analyze and docker
#                                   compose when present)
#
# Ends with "N passed, N failed"; exits 1 when anything failed.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
deploy=$(dirname "$here")
repo=$(dirname "$deploy")
work=$(mktemp -d /tmp/concerto-deploy-test.XXXXXX)

# Loopback ports of this run (production uses 443, 80, 8404, 5349, 3478 and 3000).
HTTPS=18443 HTTP=18080 STATS=18404 TURN_TLS=15349 TURN_PLAIN=13478 PEER=13480
N1=13001 N2=13002 N3=13003 CTURN_TLS=16349 CTURN_PLAIN=16478
SECRET=deploy-test-secret-0123456789

pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

passed=0 failed=0
# check "what" command...: runs the command, counts it, shows its output when it fails.
check() {
	local what=$1
	shift
	if "$@" >"$work/out" 2>&1; then
		passed=$((passed + 1))
		echo "ok   $what"
	else
		failed=$((failed + 1))
		echo "FAIL $what"
		sed 's/^/     /' "$work/out" | head -n 20
	fi
}
need() {
	command -v "$1" >/dev/null || { echo "missing: $1 ($2)"; exit 2; }
}
need haproxy "apt-get install haproxy"
need turnserver "apt-get install coturn"
need turnutils_peer "apt-get install coturn"
need openssl "apt-get install openssl"
need curl "apt-get install curl"
need node "Node.js"

# Throwaway certificates for the two names.
for name in rcp turn; do
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$name.example.org" \
		-addext "subjectAltName=DNS:$name.example.org" -keyout "$work/$name.key" -out "$work/$name.crt" 2>/dev/null
	cat "$work/$name.crt" "$work/$name.key" >"$work/$name.pem"
done
mkdir -p "$work/certs" && cp "$work/rcp.pem" "$work/certs/"

# ---------------------------------------------------------------------------------------
echo "== configuration checks"

# The production file with only its certificate path changed.
sed "s#crt /etc/haproxy/certs/rcp.example.org.pem#crt $work/rcp.pem#" \
	"$deploy/haproxy/haproxy.cfg" >"$work/haproxy-prod.cfg"
check "haproxy -c deploy/haproxy/haproxy.cfg" haproxy -c -f "$work/haproxy-prod.cfg"

sed -e "s#/usr/local/etc/haproxy/certs/#$work/certs/#" -e "s#/var/lib/haproxy/admin.sock#$work/compose-admin.sock#" \
	"$deploy/compose/haproxy.cfg" >"$work/haproxy-compose.cfg"
check "haproxy -c deploy/compose/haproxy.cfg (PUBLIC_HOST, TURN_HOST set)" \
	env PUBLIC_HOST=rcp.example.org TURN_HOST=turn.example.org haproxy -c -f "$work/haproxy-compose.cfg"

# Each node's `use-server` names a `server` of the same name whose cookie is that name.
node_names_agree() {
	local file=$1 routed servers
	routed=$(sed -nE 's/^\s*use-server ([a-z0-9-]+) if \{ urlp\(node\) -m str ([a-z0-9-]+) \}$/\1 \2/p' "$file")
	servers=$(sed -nE 's/^\s*server ([a-z0-9-]+) \S+ cookie ([a-z0-9-]+)$/\1 \2/p' "$file")
	[[ -n $routed ]] || { echo "no use-server line"; return 1; }
	[[ $routed == "$servers" ]] || { printf 'use-server:\n%s\nserver/cookie:\n%s\n' "$routed" "$servers"; return 1; }
	while read -r a b; do [[ $a == "$b" ]] || { echo "$a routed on node=$b"; return 1; }; done <<<"$routed"
}
check "production haproxy.cfg: use-server, server and cookie names agree" node_names_agree "$deploy/haproxy/haproxy.cfg"
check "compose haproxy.cfg: use-server, server and cookie names agree" node_names_agree "$deploy/compose/haproxy.cfg"

# The compose variant routes like the production file: the same directives, once
# comments, addresses, names, paths and the production-only lines are set aside.
skeleton() {
	sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$1" |
		grep -vE '^\s*(log|chroot|daemon|stats socket|bind|server|http-check send)\b' |
		sed -E 's/req\.ssl_sni -i \S+/req.ssl_sni -i NAME/'
}
check "compose haproxy.cfg keeps the production file's directives" \
	diff <(skeleton "$deploy/haproxy/haproxy.cfg") <(skeleton "$deploy/compose/haproxy.cfg")

if command -v systemd-analyze >/dev/null; then
	verify_unit() {
		local root=$work/sdroot
		mkdir -p "$root/etc/systemd/system" "$root/etc/concerto" "$root/opt/concerto/node_modules/.bin" "$root/usr/lib/systemd"
		cp -a /lib/systemd/system "$root/usr/lib/systemd/"
		cp "$deploy/systemd/concerto@.service" "$root/etc/systemd/system/"
		cp "$deploy/systemd/n1.env.example" "$root/etc/concerto/n1.env"
		cp "$(command -v node)" "$root/opt/concerto/node_modules/.bin/node"
		# verify exits 0 on unknown keys and bad values: any output is a failure.
		local report
		report=$(systemd-analyze verify --root="$root" --man=no concerto@n1.service 2>&1) || { echo "$report"; return 1; }
		[[ -z $report ]] || { echo "$report"; return 1; }
	}
	check "systemd-analyze verify concerto@n1.service" verify_unit
else
	echo "skip systemd-analyze verify (systemd-analyze not installed)"
fi

# Every variable of the example env file is one Concerto reads: config.ts, adapter-node's
# own (ADDRESS_HEADER, XFF_DEPTH), or the cluster's (until config.ts has them).
env_names_known() {
	local name status=0
	for name in $(sed -nE 's/^#?([A-Z][A-Z0-9_]*)=.*/\1/p' "$deploy/systemd/n1.env.example"); do
		case $name in
			ADDRESS_HEADER | XFF_DEPTH | NODE_ID | REDIS_URL | ATTACHMENT_STORAGE) continue ;;
		esac
		grep -qE "\b$name\b" "$repo/src/lib/server/config.ts" || { echo "unknown variable: $name"; status=1; }
	done
	return $status
}
check "n1.env.example names only variables Concerto reads" env_names_known
# The unit sets NODE_ID from its instance name; a copied env file must not override it.
no_node_id_in_env() { ! grep -nE '^NODE_ID=' "$deploy/systemd/n1.env.example"; }
check "n1.env.example leaves NODE_ID to the unit (Environment=NODE_ID=%i)" no_node_id_in_env

# COMPOSE names a Compose v2 binary to use instead (e.g. a standalone docker-compose 2.x).
compose=()
if [[ -n ${COMPOSE:-} ]]; then compose=("$COMPOSE")
elif docker compose version >/dev/null 2>&1; then compose=(docker compose)
elif [[ $(docker-compose version 2>/dev/null) =~ version\ v?2 ]]; then compose=(docker-compose)
fi
if ((${#compose[@]})); then
	sed 's/=CHANGE_ME$/=0123456789abcdef0123456789abcdef0123/' "$deploy/compose/.env.example" >"$work/compose.env"
	check "docker compose config (compose.yaml with .env.example's values)" \
		"${compose[@]}" --env-file "$work/compose.env" -f "$deploy/compose/compose.yaml" config -q
	missing_value_refused() { ! "${compose[@]}" --env-file /dev/null -f "$deploy/compose/compose.yaml" config -q; }
	check "docker compose config refuses a missing .env value" missing_value_refused
else
	echo "skip docker compose config (no Compose v2: docker compose / docker-compose 2.x)"
fi

# ---------------------------------------------------------------------------------------
echo "== coturn"

# Only loopback from here on: refuse to start anything whose configuration still names
# another address.
only_loopback() {
	local lines
	lines=$(grep -E "$2" "$1" | grep -vE '127\.0\.0\.1|abns@' || true)
	[[ -z $lines ]] || { echo "not loopback in $1:"; echo "$lines"; exit 2; }
}

sed -e "s/^listening-port=.*/listening-port=$TURN_PLAIN/" -e "s/^tls-listening-port=.*/tls-listening-port=$TURN_TLS/" \
	-e '/^listening-ip=/d' -e 's/^relay-ip=.*/relay-ip=127.0.0.1/' -e '/^allowed-peer-ip=/d' \
	-e 's/^min-port=.*/min-port=51000/' -e 's/^max-port=.*/max-port=51099/' \
	-e "s#^cert=.*#cert=$work/turn.crt#" -e "s#^pkey=.*#pkey=$work/turn.key#" \
	-e "s/^static-auth-secret=.*/static-auth-secret=$SECRET/" -e 's/^syslog$/log-file=stdout/' \
	"$deploy/coturn/turnserver.conf" >"$work/turnserver.conf"
# Loopback stands for the media nodes: refused as a range, allowed as one address (as the
# nodes' addresses are in production).
cat >>"$work/turnserver.conf" <<EOF
listening-ip=127.0.0.1
allow-loopback-peers
allowed-peer-ip=127.0.0.1
pidfile=$work/turnserver.pid
userdb=$work/turndb
EOF
only_loopback "$work/turnserver.conf" '^(listening-ip|relay-ip|external-ip|allowed-peer-ip)='

turnserver -c "$work/turnserver.conf" >"$work/turnserver.log" 2>&1 &
pids+=($!)
turnutils_peer -L 127.0.0.1 -L 127.0.0.2 -p "$PEER" >"$work/peer.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 50); do openssl s_client -connect "127.0.0.1:$TURN_TLS" </dev/null >/dev/null 2>&1 && break; sleep 0.1; done

turn() { node "$here/turn-client.mjs" --secret "$SECRET" --servername turn.example.org "$@"; }
clean_log() { ! grep -iE 'CONFIG ERROR|Unknown|bad configuration' "$1"; }
check "coturn: no configuration error in its log" clean_log "$work/turnserver.log"
check "coturn: TURN over TLS, REST credentials, relayed to an allowed peer" turn --connect "127.0.0.1:$TURN_TLS" --peer "127.0.0.1:$PEER"
check "coturn: a peer in a denied range is refused (403)" turn --connect "127.0.0.1:$TURN_TLS" --peer "127.0.0.2:$PEER" --expect denied
wrong_secret_refused() {
	! node "$here/turn-client.mjs" --secret wrong-secret-0123456789 --servername turn.example.org \
		--connect "127.0.0.1:$TURN_TLS" --peer "127.0.0.1:$PEER"
}
check "coturn: a wrong secret is refused" wrong_secret_refused

# The compose variant, with the command-line options compose.yaml adds.
sed -e "s/^listening-port=.*/listening-port=$CTURN_PLAIN/" -e "s/^tls-listening-port=.*/tls-listening-port=$CTURN_TLS/" \
	-e 's/^min-port=.*/min-port=51100/' -e 's/^max-port=.*/max-port=51199/' -e "s#/etc/coturn/certs/#$work/#" \
	"$deploy/compose/turnserver.conf" >"$work/turnserver-compose.conf"
turnserver -c "$work/turnserver-compose.conf" --realm=turn.example.org --server-name=turn.example.org \
	--static-auth-secret="$SECRET" --listening-ip=127.0.0.1 --relay-ip=127.0.0.1 \
	--external-ip=127.0.0.1/127.0.0.1 --allowed-peer-ip=127.0.0.1 --allow-loopback-peers \
	--pidfile="$work/turnserver-compose.pid" --userdb="$work/turndb-compose" >"$work/turnserver-compose.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 50); do openssl s_client -connect "127.0.0.1:$CTURN_TLS" </dev/null >/dev/null 2>&1 && break; sleep 0.1; done
check "coturn (compose variant): relayed to an allowed peer" turn --connect "127.0.0.1:$CTURN_TLS" --peer "127.0.0.1:$PEER"
check "coturn (compose variant): a denied peer is refused" turn --connect "127.0.0.1:$CTURN_TLS" --peer "127.0.0.2:$PEER" --expect denied

# ---------------------------------------------------------------------------------------
echo "== HAProxy (production file, on loopback ports)"

sed -e 's#^\tlog /dev/log local0$#\tlog stdout format raw local0#' -e '/^\tlog \/dev\/log local1/d' \
	-e '/^\tchroot /d' -e '/^\tdaemon$/d' -e '/^\tuser haproxy$/d' -e '/^\tgroup haproxy$/d' \
	-e 's/^\tmaxconn 20000$/\tmaxconn 1000/' -e "s#/run/haproxy/admin.sock#$work/admin.sock#" \
	-e "s#^\tbind :443\$#\tbind 127.0.0.1:$HTTPS#" -e "s#^\tbind :80\$#\tbind 127.0.0.1:$HTTP#" \
	-e "s#^\tbind 127.0.0.1:8404\$#\tbind 127.0.0.1:$STATS#" \
	-e "s#crt /etc/haproxy/certs/rcp.example.org.pem#crt $work/rcp.pem#" \
	-e 's#abns@concerto-https#abns@concerto-https-test#g' \
	-e "s#server coturn 127.0.0.1:5349#server coturn 127.0.0.1:$TURN_TLS#" \
	-e "s#server n1 10.0.0.11:3000#server n1 127.0.0.1:$N1#" -e "s#server n2 10.0.0.12:3000#server n2 127.0.0.1:$N2#" \
	"$deploy/haproxy/haproxy.cfg" >"$work/haproxy-run.cfg"
# A third node, added as an operator would: its `use-server` and `server` lines.
sed -i -e "/^\tuse-server n2 /a\\	use-server n3 if { urlp(node) -m str n3 }" \
	-e "/^\tserver n2 /a\\	server n3 127.0.0.1:$N3 cookie n3" "$work/haproxy-run.cfg"
only_loopback "$work/haproxy-run.cfg" '^\s*(bind|server) '

node "$here/stub-node.mjs" n1 "$N1" &
n1_pid=$!
pids+=($n1_pid)
node "$here/stub-node.mjs" n2 "$N2" &
pids+=($!)
node "$here/stub-node.mjs" n3 "$N3" &
pids+=($!)
haproxy -db -f "$work/haproxy-run.cfg" >"$work/haproxy.log" 2>&1 &
pids+=($!)

# The state HAProxy's stats give a node (UP, DOWN, ...).
state() { curl -s "http://127.0.0.1:$STATS/;csv" | awk -F, -v s="$1" '$1 == "concerto" && $2 == s { print $18 }'; }
wait_state() { # node state seconds
	local i
	for ((i = 0; i < $3 * 10; i++)); do [[ $(state "$1") == "$2"* ]] && return 0; sleep 0.1; done
	echo "$1 is $(state "$1"), expected $2"
	return 1
}
all_up_at_start() { wait_state n1 UP 5 && wait_state n2 UP 5 && wait_state n3 UP 5; }
check "every node UP (health checks on /healthz)" all_up_at_start

get() { curl -sk --resolve "rcp.example.org:$HTTPS:127.0.0.1" "$@"; }
url="https://rcp.example.org:$HTTPS"
node_of() { sed -nE 's/.*"node":"([a-z0-9-]+)".*/\1/p'; }
status_of() { get -o /dev/null -w '%{http_code}' "$@"; }
# Sends the request n times; succeeds when every answer came from the expected node.
always() { # expected n curl-args...
	local expected=$1 n=$2 i got
	shift 2
	for ((i = 0; i < n; i++)); do
		got=$(get "$@" | node_of)
		[[ $got == "$expected" ]] || { echo "request $i answered by '$got', expected $expected"; return 1; }
	done
}

page_gets_cookie() {
	local headers node
	headers=$(get -D - -o "$work/body" "$url/meetings")
	node=$(node_of <"$work/body")
	grep -qiE "^set-cookie: CONCERTO_NODE=$node; .*HttpOnly" <<<"$headers" &&
		grep -qiE '^set-cookie: CONCERTO_NODE=.*Secure' <<<"$headers" &&
		grep -qiE '^set-cookie: CONCERTO_NODE=.*SameSite=Lax' <<<"$headers" &&
		grep -qiE '^strict-transport-security: max-age=63072000' <<<"$headers" ||
		{ echo "answered by $node"; echo "$headers"; return 1; }
}
unknown_node_balanced() { [[ $(get "$url/x?node=n9" | node_of) == n[123] ]]; }
# Answers routed by `use-server` carry no cookie: the parameter itself keeps them on their node.
no_cookie_for_named_node() { ! get -D - -o /dev/null "$url/socket.io/?EIO=4&transport=polling&node=n1" | grep -qi '^set-cookie'; }
# While the named node is down, the first request is balanced and gets a cookie; the
# next ones, still naming the down node, follow the cookie to the same node.
sticky_while_named_node_down() {
	local headers first
	headers=$(get -D - -o "$work/body" "$url/socket.io/?EIO=4&transport=polling&node=n2")
	first=$(node_of <"$work/body")
	[[ $first == n[13] ]] && grep -qi "^set-cookie: CONCERTO_NODE=$first;" <<<"$headers" || { echo "first: $first"; echo "$headers"; return 1; }
	always "$first" 8 -H "Cookie: CONCERTO_NODE=$first" "$url/socket.io/?EIO=4&transport=polling&node=n2&sid=x"
}
node_sees_other_cookies_only() { [[ $(get -H 'Cookie: theme=dark; CONCERTO_NODE=n1' "$url/x") == *'"cookie":"theme=dark"'* ]]; }
forwarded_headers() {
	local answer
	answer=$(get -H 'X-Forwarded-For: 198.51.100.7' "$url/x")
	[[ $answer == *'"xForwardedFor":"127.0.0.1","xForwardedProto":"https"'* ]] || { echo "$answer"; return 1; }
}
metrics_hidden() { [[ $(status_of "$url/metrics") == 404 ]]; }
http2() { [[ $(get --http2 -o /dev/null -w '%{http_version}' "$url/x") == 2 ]]; }
redirects_to_https() {
	local answer
	answer=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -H 'Host: rcp.example.org' "http://127.0.0.1:$HTTP/meetings?x=1")
	[[ $answer == '301 https://rcp.example.org/meetings?x=1' ]] || { echo "$answer"; return 1; }
}
check "a page gets the cookie of the node that answered it (HttpOnly, Secure, SameSite), and HSTS" page_gets_cookie
check "?node=n2 always reaches n2" always n2 8 "$url/socket.io/?EIO=4&transport=polling&node=n2"
check "?node=n1 always reaches n1" always n1 8 "$url/socket.io/?EIO=4&transport=polling&node=n1"
check "?node= wins over the cookie" always n1 4 -H 'Cookie: CONCERTO_NODE=n2' "$url/socket.io/?EIO=4&transport=polling&node=n1"
check "the cookie alone keeps long-polling on its node" always n2 8 -H 'Cookie: CONCERTO_NODE=n2' "$url/socket.io/?EIO=4&transport=polling&sid=x"
check "an unknown ?node= is balanced like any request" unknown_node_balanced
check "an answer routed by ?node= sets no cookie" no_cookie_for_named_node
check "the node never sees HAProxy's cookie, only the others" node_sees_other_cookies_only
check "X-Forwarded-For is the client's address only (a forged one is dropped), X-Forwarded-Proto https" forwarded_headers
check "/metrics is not served through the proxy (404)" metrics_hidden
check "HTTP/2 over TLS" http2
check "http:// redirects to https:// with the same path (301)" redirects_to_https

# The subject name of the certificate that answers on :443 for a given SNI ("" = none).
cn_for() {
	local sni=()
	[[ -n $1 ]] && sni=(-servername "$1")
	openssl s_client -connect "127.0.0.1:$HTTPS" "${sni[@]}" </dev/null 2>/dev/null | openssl x509 -noout -subject | sed -nE 's/.*CN ?= ?//p'
}
answers_as() { # SNI expected-CN
	local got
	got=$(cn_for "$1")
	[[ $got == "$2" ]] || { echo "SNI '$1' answered by CN=$got"; return 1; }
}
check ":443 with SNI turn.example.org reaches coturn" answers_as turn.example.org turn.example.org
check ":443 with SNI rcp.example.org reaches the HTTPS frontend" answers_as rcp.example.org rcp.example.org
check ":443 without SNI reaches the HTTPS frontend" answers_as '' rcp.example.org
check "TURN over TLS through :443 (SNI): relay allocated, data relayed" turn --connect "127.0.0.1:$HTTPS" --peer "127.0.0.1:$PEER"

ws() { node "$here/ws-probe.mjs" --connect "127.0.0.1:$HTTPS" --servername rcp.example.org "$@"; }
ws_reaches_n2() { [[ $(ws --path '/socket.io/?EIO=4&transport=websocket&node=n2') == node=n2 ]]; }
check "WebSocket upgrade through :443 reaches the named node" ws_reaches_n2

# Draining: n2's /healthz answers 503. HAProxy marks it DOWN within about two seconds and
# sends it nothing new, but leaves its open WebSockets alone.
ws --path '/socket.io/?EIO=4&transport=websocket&node=n2' --echo-after 4000 >"$work/ws-drain" 2>&1 &
ws_pid=$!
pids+=($ws_pid)
sleep 0.5
curl -s "http://127.0.0.1:$N2/__drain" >/dev/null
ws_survived() { wait "$ws_pid"; [[ $(cat "$work/ws-drain") == 'node=n2 echo=ok' ]] || { cat "$work/ws-drain"; return 1; }; }
all_down_503() { wait_state n1 DOWN 3 && wait_state n3 DOWN 3 && [[ $(status_of "$url/x") == 503 ]]; }
check "a draining node (/healthz 503) is DOWN within 3 s" wait_state n2 DOWN 3
check "?node=<draining node> is balanced to the nodes that are up, then kept on one by the cookie" sticky_while_named_node_down
check "a WebSocket open on the draining node keeps working" ws_survived
curl -s "http://127.0.0.1:$N1/__drain" "http://127.0.0.1:$N3/__drain" >/dev/null
check "with every node down, HAProxy answers 503" all_down_503
curl -s "http://127.0.0.1:$N1/__undrain" "http://127.0.0.1:$N2/__undrain" "http://127.0.0.1:$N3/__undrain" >/dev/null
all_up() { wait_state n1 UP 3 && wait_state n2 UP 3 && wait_state n3 UP 3; }
check "back UP within 3 s of /healthz answering 200" all_up
check "?node=n2 reaches n2 again" always n2 4 "$url/socket.io/?EIO=4&transport=polling&node=n2"

# A node that dies: before its health checks notice, requests naming it are retried and
# redispatched to another node.
kill "$n1_pid"
redispatched() { [[ $(get "$url/socket.io/?EIO=4&transport=polling&node=n1" | node_of) == n[23] ]]; }
check "a request naming a node that just died is redispatched" redispatched
check "a dead node is DOWN within 3 s" wait_state n1 DOWN 3

# (Read into a variable first: `grep -q` on a pipe would end curl early, and pipefail
# would count that as a failure.)
stats_page() { local page; page=$(curl -sf "http://127.0.0.1:$STATS/") && grep -q 'Statistics Report' <<<"$page"; }
stats_metrics() {
	local metrics
	metrics=$(curl -sf "http://127.0.0.1:$STATS/metrics") && grep -q 'haproxy_server_status{proxy="concerto",server="n1"' <<<"$metrics"
}
check "stats page on loopback" stats_page
check "HAProxy's Prometheus metrics on loopback" stats_metrics

echo
echo "$passed passed, $failed failed"
((failed == 0))
