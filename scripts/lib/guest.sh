# shellcheck shell=bash
# The qemu guest that runs the tests which need a kernel with WireGuard (this machine's kernel has
# none): the host packages it takes, one boot that runs a script from a shared folder, and the result
# contract of scripts/guest.sh. The guest's disks are guest-image.sh's and guest-docker-disk.sh's.
# shellcheck source=scripts/lib/guest-image.sh
source scripts/lib/guest-image.sh
# shellcheck source=scripts/lib/guest-docker-disk.sh
source scripts/lib/guest-docker-disk.sh

# qemu runs the guest and mmdebstrap makes its root; docker.io and debootstrap make the images the
# guest gets (scripts/lib/docker.sh).
# socat carries each connection the guest makes to a forwarded port (OWG_GUEST_FORWARDS).
OWG_GUEST_HOST_PACKAGES=(qemu-system-x86 mmdebstrap docker.io debootstrap socat)

guest_install_host_packages() {
  local missing=() package
  for package in "${OWG_GUEST_HOST_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The qemu binary: a test sets it to something that fails (/bin/false) to see the not-run path.
OWG_GUEST_QEMU=${OWG_GUEST_QEMU:-qemu-system-x86_64}
# How long one boot may take from qemu's start to the script's end.
OWG_GUEST_TIMEOUT=${OWG_GUEST_TIMEOUT:-600}
# The guest must say it came up within this; after it, a guest that hangs is a failed script. A guest
# that runs at a low priority beside other work (scripts/test.sh) boots slower.
OWG_GUEST_BOOT_TIMEOUT=${OWG_GUEST_BOOT_TIMEOUT:-120}

# Where the guest may connect, as GUEST_ADDRESS:PORT=HOST_ADDRESS:PORT words (all guest addresses in
# one /24, and none the .2 or .15 of it): the guest gets a network of its own that reaches nothing else
# (qemu's restrict=on), with the address .15 of that /24. Empty: the guest has no network at all.
OWG_GUEST_FORWARDS=${OWG_GUEST_FORWARDS:-}
# A folder of the host's that the guest sees at /mnt/exchange while it runs, for a test that hands it
# something mid-run; empty: none.
OWG_GUEST_EXCHANGE=${OWG_GUEST_EXCHANGE:-}

# guest_network_options: qemu's options for OWG_GUEST_FORWARDS, one per line; none without forwards.
# The run's share gets `network` (the guest's address and prefix) for the guest's init.
guest_network_options() {
  local share=$1 forward guest host net
  if [ -z "$OWG_GUEST_FORWARDS" ]; then
    # qemu's default user network takes a private range, which this project's machines must not use.
    printf '%s\n' -nic none
    return
  fi
  net=${OWG_GUEST_FORWARDS%%=*}
  net=${net%.*:*}
  local netdev="user,id=net0,net=$net.0/24,host=$net.2,dns=$net.3,restrict=on"
  for forward in $OWG_GUEST_FORWARDS; do
    guest=${forward%%=*}
    host=${forward#*=}
    netdev+=",guestfwd=tcp:$guest-cmd:socat - TCP:$host"
  done
  printf '%s\n' -netdev "$netdev" -device virtio-net-pci,netdev=net0
  echo "$net.15/24" >"$share/network"
}

GUEST_NOT_RUN_REASON=

# guest_boot IMAGE_DIR DOCKER_DISK SHARE CONSOLE_LOG: boots the guest, which runs SHARE/run.sh and
# powers off; what it writes to its disks goes to throw-away files (snapshot=on), so the cache never
# changes. Prints the script's output as it comes. Returns 0 when the script ended (its status is in
# SHARE/exit-code), 1 when the guest came up but gave no exit code before OWG_GUEST_TIMEOUT, 75 when
# it did not come up within OWG_GUEST_BOOT_TIMEOUT s (GUEST_NOT_RUN_REASON says what happened).
guest_boot() {
  local image=$1 docker_disk=$2 share=$3 console=$4 dotnet_root start=$SECONDS i qemu status network exchange=()
  dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
  mapfile -t network < <(guest_network_options "$share")
  [ -z "$OWG_GUEST_EXCHANGE" ] || exchange=(-virtfs "local,path=$OWG_GUEST_EXCHANGE,mount_tag=exchange,security_model=none")
  # No -enable-kvm: the tests' machines have a /dev/kvm that cannot run a stock kernel, so qemu emulates.
  timeout --kill-after=10 "$OWG_GUEST_TIMEOUT" "$OWG_GUEST_QEMU" \
    -accel tcg,thread=multi -cpu max -smp 2 -m 3072 \
    -nodefaults -no-user-config -display none "${network[@]}" -no-reboot \
    -chardev "file,id=console,path=$console,append=on" -serial chardev:console \
    -bios /usr/share/qemu/qboot.rom -kernel "$image/vmlinux" -initrd "$image/initrd.gz" \
    -append "console=ttyS0 panic=-1 quiet no_timer_check" \
    -drive "file=$image/root.img,if=virtio,format=raw,snapshot=on" \
    -drive "file=$docker_disk,if=virtio,format=raw,snapshot=on" \
    -virtfs "local,path=$share,mount_tag=share,security_model=none" \
    -virtfs "local,path=$PWD,mount_tag=repo,security_model=none,readonly=on" \
    -virtfs "local,path=$dotnet_root,mount_tag=dotnet,security_model=none,readonly=on" \
    "${exchange[@]}" </dev/null >>"$console" 2>&1 &
  qemu=$!
  GUEST_QEMU_PID=$qemu
  for ((i = 0; i < OWG_GUEST_BOOT_TIMEOUT * 2; i++)); do
    [ -e "$share/booted" ] && break
    kill -0 "$qemu" 2>/dev/null || break
    sleep 0.5
  done
  if [ ! -e "$share/booted" ]; then
    if kill -0 "$qemu" 2>/dev/null; then
      GUEST_NOT_RUN_REASON="the guest did not come up within $OWG_GUEST_BOOT_TIMEOUT s"
      kill "$qemu" 2>/dev/null
      wait "$qemu" 2>/dev/null || true
    else
      status=0
      wait "$qemu" || status=$?
      GUEST_NOT_RUN_REASON="qemu ended (status $status) before the guest came up"
    fi
    return 75
  fi
  echo "guest: boot to command: $((SECONDS - start)) s"
  # Ends with qemu: --pid makes tail read what is left and stop once the guest is off.
  tail -n +1 -F --pid="$qemu" "$share/output" 2>/dev/null &
  GUEST_TAIL_PID=$!
  wait "$qemu" || true
  wait "$GUEST_TAIL_PID" || true
  GUEST_QEMU_PID=
  [ -s "$share/exit-code" ] || return 1
}

# guest_stop: ends what an interrupted guest_run left: qemu, the loading dockerd, a partial build.
guest_stop() {
  if [ -n "${GUEST_QEMU_PID:-}" ]; then
    kill "$GUEST_QEMU_PID" 2>/dev/null || true
    wait "$GUEST_QEMU_PID" 2>/dev/null || true
  fi
  if [ -n "${GUEST_TAIL_PID:-}" ]; then
    kill "$GUEST_TAIL_PID" 2>/dev/null || true
  fi
  if [ -n "${GUEST_LOADER_PID:-}" ]; then
    kill "$GUEST_LOADER_PID" 2>/dev/null || true
  fi
  if [ -n "${GUEST_BUILD_DIR:-}" ]; then
    rm -rf "$GUEST_BUILD_DIR"
  fi
  return 0
}

# guest_not_run REASON [LOG]: the not-run end of the contract: the reason, the log's tail, status 75.
guest_not_run() {
  echo "not run: $1"
  if [ -n "${2:-}" ] && [ -s "$2" ]; then
    echo "--- last lines of $2"
    tail -n 30 "$2"
  fi
  exit 75
}

# guest_run SCRIPT [ARGS...]: the whole of `scripts/guest.sh run`; exits 0 when SCRIPT passed in the
# guest, 1 when it failed or hung, 75 when it did not run (guest_not_run).
guest_run() {
  local script=$1 start=$SECONDS stage image run status lock
  shift
  [ -f "$script" ] || { echo "no such script: $script" >&2; exit 2; }
  run=$(mktemp -d /var/tmp/owg-guest.XXXXXX)
  # shellcheck disable=SC2064 # the folder is known now and must go whatever happens later
  trap "guest_stop; rm -rf '$run'" EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  stage=$SECONDS
  guest_install_host_packages || guest_not_run "qemu, mmdebstrap or Docker could not be installed"
  "$OWG_GUEST_QEMU" --version >/dev/null 2>&1 || guest_not_run "qemu ($OWG_GUEST_QEMU) does not run"
  command -v dotnet >/dev/null || guest_not_run "no .NET on this machine to share with the guest"
  echo "guest: host packages: $((SECONDS - stage)) s"

  stage=$SECONDS
  { docker_start && docker_session_image; } >"$run/docker.log" 2>&1 ||
    guest_not_run "the host's dockerd or session image is missing" "$run/docker.log"
  echo "guest: host images: $((SECONDS - stage)) s"

  # One build at a time: a second caller waits and then finds it cached.
  mkdir -p "$OWG_GUEST_CACHE"
  exec {lock}>"$OWG_GUEST_CACHE/lock"
  flock -w 1800 "$lock" || guest_not_run "another build of the guest held the lock for 30 min"
  guest_image_dir || guest_not_run "the guest image could not be built" "$OWG_GUEST_CACHE/failed-build.log"
  image=$GUEST_IMAGE_DIR
  guest_docker_disk "$image" "$run" || guest_not_run "the host's images could not be put on a disk" "$image/docker-load.log"
  exec {lock}>&-
  touch "$image"

  mkdir -p "$run/share"
  cp "$script" "$run/share/run.sh"
  [ $# -eq 0 ] || printf '%s\0' "$@" >"$run/share/args"
  stage=$SECONDS
  status=0
  # snapshot=on's throw-away files go to TMPDIR: into the run's folder, which goes at the end.
  TMPDIR=$run guest_boot "$image" "$GUEST_DOCKER_DISK" "$run/share" "$run/console.log" || status=$?
  if [ "$status" -eq 75 ]; then
    # A kernel starved of CPU while it boots (the host busy) can fail its early checks: once more.
    echo "guest: did not come up ($GUEST_NOT_RUN_REASON); booting once more"
    status=0
    TMPDIR=$run guest_boot "$image" "$GUEST_DOCKER_DISK" "$run/share" "$run/console.log" || status=$?
  fi
  [ "$status" -ne 75 ] || guest_not_run "$GUEST_NOT_RUN_REASON" "$run/console.log"
  echo "guest: script: $((SECONDS - stage)) s, all: $((SECONDS - start)) s"
  if [ "$status" -ne 0 ]; then
    echo "guest: the script gave no exit code (it ran past $OWG_GUEST_TIMEOUT s, or the guest crashed); the console's last lines:"
    tail -n 30 "$run/console.log"
    exit 1
  fi
  [ "$(cat "$run/share/exit-code")" = 0 ]
}
