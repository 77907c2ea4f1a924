#!/usr/bin/env bash
# Installs Meson >= 1.1, which mediasoup's worker build requires. Debian
# bookworm ships 1.0.1, so on bookworm this enables bookworm-backports (from the
# Debian mirror already configured) and installs meson from there (1.7).
#
#   bash server/mediasoup-worker/install-meson.sh           run it (as root)
#   bash server/mediasoup-worker/install-meson.sh --print   only print the commands
set -euo pipefail

MIN_VERSION=1.1.0
APT=(apt-get -o DPkg::Lock::Timeout=600)
print_only=false
[[ ${1:-} == --print ]] && print_only=true

current=$(meson --version 2>/dev/null || true)

if [[ -n $current ]] && dpkg --compare-versions "$current" ge "$MIN_VERSION"; then
	echo "meson $current is already installed"
	exit 0
fi

# With --print, print each command; otherwise show it (as `+ command`) and run it.
run() {
	local line
	line=$(printf '%q ' "$@")
	line=${line% }

	if $print_only; then
		echo "$line"
	else
		echo "+ $line"
		"$@"
	fi
}

write_file() {
	if $print_only; then
		printf "cat > %s <<'EOF'\n%sEOF\n" "$1" "$2"
	else
		printf '+ writing %s:\n%s' "$1" "$2"
		printf '%s' "$2" >"$1"
	fi
}

codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")

if [[ $codename != bookworm ]]; then
	# Newer Debian releases have a recent enough meson in their main suite.
	run env DEBIAN_FRONTEND=noninteractive "${APT[@]}" install -y --no-install-recommends meson
	exit 0
fi

suite=bookworm-backports

# URI, components and keyring of the enabled deb source for suite $1, as
# "uri|components|keyring", from deb822 .sources files or one-line .list files.
archive_for() {
	local f

	for f in /etc/apt/sources.list.d/*.sources; do
		[[ -e $f ]] || continue
		awk -v suite="$1" '
			function flush() {
				if (!done && enabled != "no" && (" " types " ") ~ / deb / && (" " suites " ") ~ (" " suite " ") && uris != "") {
					split(uris, u, " ")
					print u[1] "|" (components == "" ? "main" : components) "|" signed
					done = 1
				}
				types = suites = uris = components = signed = enabled = ""
			}
			/^[ \t]*$/ { flush(); next }
			/^[A-Za-z-]+:/ {
				key = tolower(substr($0, 1, index($0, ":") - 1))
				val = substr($0, index($0, ":") + 1)
				gsub(/^[ \t]+|[ \t]+$/, "", val)
				if (key == "types") types = val
				else if (key == "suites") suites = val
				else if (key == "uris") uris = val
				else if (key == "components") components = val
				else if (key == "signed-by") signed = val
				else if (key == "enabled") enabled = tolower(val)
			}
			END { flush() }
		' "$f"
	done

	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[[ -e $f ]] || continue
		awk -v suite="$1" '
			$1 == "deb" {
				opts = ""; i = 2
				if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) { opts = opts " " $i; i++ } opts = opts " " $i; i++ }
				if ($(i + 1) != suite) next
				comps = ""; for (j = i + 2; j <= NF; j++) comps = comps (comps == "" ? "" : " ") $j
				signed = ""; if (match(opts, /signed-by=[^] ]+/)) signed = substr(opts, RSTART + 10, RLENGTH - 10)
				print $i "|" comps "|" signed
			}
		' "$f"
	done
}

if [[ -z $(archive_for "$suite" | head -n1) ]]; then
	IFS='|' read -r uri components keyring < <(archive_for bookworm | head -n1) || true
	uri=${uri:-http://deb.debian.org/debian}
	components=${components:-main}

	if [[ -z ${keyring:-} && -e /usr/share/keyrings/debian-archive-keyring.gpg ]]; then
		keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	fi

	source_text="Types: deb
URIs: $uri
Suites: $suite
Components: $components${keyring:+
Signed-By: $keyring}
"
	write_file "/etc/apt/sources.list.d/$suite.sources" "$source_text"
fi

run "${APT[@]}" update
run env DEBIAN_FRONTEND=noninteractive "${APT[@]}" install -y --no-install-recommends -t "$suite" meson
