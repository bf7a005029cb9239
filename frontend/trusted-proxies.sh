#!/bin/sh
# Run by the nginx image's entrypoint (/docker-entrypoint.d/) before nginx starts: TRUSTED_PROXIES
# (comma-separated addresses or CIDRs of the proxies in front of this one) becomes the set_real_ip_from lines that
# nginx.conf includes, so a client's address is the one your proxy saw, and anyone else's X-Forwarded-For is ignored.
set -eu
out="${TRUSTED_PROXIES_CONF:-/etc/nginx/scenelab/trusted_proxies.conf}"
lines=""
for proxy in $(printf '%s' "${TRUSTED_PROXIES:-}" | tr ',' ' '); do
    case "$proxy" in
        *[!0-9A-Fa-f.:/]*) echo "TRUSTED_PROXIES: '$proxy' is not an address or CIDR" >&2; exit 1 ;;
    esac
    lines="${lines}set_real_ip_from ${proxy};
"
done
printf '%s' "$lines" > "$out"
