# shellcheck shell=bash
# Debian packages the stack and its tests need. Installs only what is missing, so a second
# run does nothing; the .NET SDK is expected on the machine already. unbound is the nodes' resolver,
# which each NodeHost runs itself (no unbound service is needed); openresolv is how owg sets a
# client's DNS, also in the tests' client namespaces; Node.js runs the tests' identity provider.

OWG_PACKAGES=(postgresql docker.io unbound dns-root-data openresolv docker-compose debootstrap wireguard-tools wireguard-go iproute2 iptables nftables iputils-ping curl jq shellcheck python3 strace tcpdump openssl conntrack chromium chromium-driver prometheus iperf3 nodejs)

install_prerequisites() {
  local missing=() package
  for package in "${OWG_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  # Some Node.js builds bring npm themselves, and Debian's npm package would not install beside them.
  if ! command -v npm >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null
  fi
  command -v dotnet >/dev/null || { echo "the .NET 10 SDK (dotnet) is not on PATH" >&2; return 1; }
  [ -c /dev/net/tun ] || { echo "/dev/net/tun is missing: wireguard-go cannot run" >&2; return 1; }
}
