# shellcheck shell=bash disable=SC2034 # the GUEST_ variables set here are read by scripts/lib/guest.sh
# The guest's disk, kernel and initramfs, built once and cached under
# /var/lib/orleanswg/guest/<key>/. The key hashes this file, the guest's two init scripts and the
# mirror, so a change to any of them builds anew; a change to how the guest is booted does not.
# shellcheck source=scripts/lib/docker.sh
source scripts/lib/docker.sh

OWG_GUEST_CACHE=/var/lib/orleanswg/guest

# What the guest runs: the kernel (WireGuard is a module of it), the tools the tests drive, dockerd,
# and the libraries the host's .NET runtime loads. No libicu: the guest runs .NET with invariant
# globalization (scripts/guest/init), which tests of netlink and tunnels do not notice, and which
# spares the image ICU's data and the runtime its loading under emulation. busybox-static is the
# initramfs's shell and tools. The kernel package needs some initramfs generator: tiny-initramfs is
# the smallest, and the guest boots its own initramfs (guest_build_initramfs) anyway.
OWG_GUEST_PACKAGES=(linux-image-amd64 tiny-initramfs kmod busybox-static iproute2 iptables nftables
  wireguard-tools docker.io ca-certificates curl procps iputils-ping libssl3 libstdc++6)

# The modules the initramfs loads to reach its root (/dev/vda, ext4) and the shared folders (9p);
# ext4 asks the crypto API for crc32c at mount time, which no dependency names.
OWG_GUEST_BOOT_MODULES=(virtio_pci virtio_blk crc32c_generic ext4 9p 9pnet_virtio)

guest_image_key() {
  {
    cat scripts/lib/guest-image.sh scripts/guest/init scripts/guest/initramfs-init
    apt_mirror
  } | sha256sum | cut -c1-16
}

# Set by guest_image_dir: the cache folder of the current key.
GUEST_IMAGE_DIR=
# The folder a build is filling, for the caller's cleanup when it is interrupted.
GUEST_BUILD_DIR=

# guest_image_dir: sets GUEST_IMAGE_DIR, building the image first when it is missing.
guest_image_dir() {
  GUEST_IMAGE_DIR="$OWG_GUEST_CACHE/$(guest_image_key)"
  [ -f "$GUEST_IMAGE_DIR/complete" ] || guest_build_image "$GUEST_IMAGE_DIR"
}

# guest_build_image DIR: builds into a folder beside DIR and renames it to DIR when every part is
# there, so an interrupted build is never taken for a cached one.
guest_build_image() {
  local dir=$1 work status
  mkdir -p "$OWG_GUEST_CACHE"
  work=$(mktemp -d "$OWG_GUEST_CACHE/.build.XXXXXX")
  GUEST_BUILD_DIR=$work
  if guest_build_parts "$work" 3>&1 >"$work/build.log" 2>&1; then
    touch "$work/complete"
    rm -rf "$dir"
    mv "$work" "$dir"
    GUEST_BUILD_DIR=
    guest_prune_old_images "$dir"
    return 0
  fi
  status=$?
  cp "$work/build.log" "$OWG_GUEST_CACHE/failed-build.log"
  rm -rf "$work"
  GUEST_BUILD_DIR=
  return "$status"
}

# Called as an if's condition, where bash ignores set -e: each step says itself when it failed.
guest_build_parts() {
  local work=$1 root="$1/root" kver
  guest_stage "root filesystem (mmdebstrap)" guest_build_root "$root" || return 1
  kver=$(basename "$(ls -d "$root"/lib/modules/*)")
  guest_stage "kernel, initramfs and ext4 image" guest_build_boot_files "$work" "$root" "$kver" || return 1
  rm -rf "$root"
}

# guest_stage NAME COMMAND...: runs COMMAND and says how long it took, in the log and on fd 3 (the caller's stdout).
guest_stage() {
  local name=$1 start=$SECONDS
  shift
  echo "== $name"
  "$@" || { guest_say "guest: $name failed after $((SECONDS - start)) s"; return 1; }
  guest_say "guest: $name: $((SECONDS - start)) s"
}

guest_say() {
  echo "$1"
  echo "$1" >&3
}

guest_build_root() {
  local root=$1 packages
  packages=$(IFS=,; echo "${OWG_GUEST_PACKAGES[*]}")
  # The mirror given stops mmdebstrap adding others; the machine's apt accepts its mirror's old
  # Release dates, and so must the build's. Documentation and locales are never read in the guest.
  mmdebstrap --variant=minbase --mode=root --format=directory --include="$packages" \
    --aptopt='Acquire::Check-Valid-Until "false"' --aptopt='Acquire::Check-Date "false"' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    bookworm "$root" "$(apt_mirror)" || return 1
  install -m 755 scripts/guest/init "$root/sbin/owg-guest-init" &&
    mkdir -p "$root/mnt/share" "$root/mnt/repo" "$root/mnt/dotnet" "$root/var/lib/docker" &&
    echo owg-guest >"$root/etc/hostname"
}

guest_build_boot_files() {
  local work=$1 root=$2 kver=$3
  chroot "$root" dpkg -l >"$work/manifest.txt" &&
    guest_extract_kernel "$root/boot/vmlinuz-$kver" "$work/vmlinux" &&
    guest_build_initramfs "$root" "$kver" "$work/initrd.gz" &&
    # Sparse: the file takes only what the root and the images loaded later fill.
    truncate -s 8G "$work/root.img" &&
    mkfs.ext4 -q -F -L owgroot -d "$root" "$work/root.img"
}

# qemu boots an uncompressed kernel directly (PVH), skipping the decompressor's minute under
# emulation: Debian's vmlinuz holds it as an xz stream after the boot stub.
guest_extract_kernel() {
  local vmlinuz=$1 out=$2 offset
  offset=$(LC_ALL=C grep -obUaP '\xFD7zXZ\x00' "$vmlinuz" | head -n 1 | cut -d: -f1)
  [ -n "$offset" ] || { echo "no xz stream in $vmlinuz" >&2; return 1; }
  tail -c +$((offset + 1)) "$vmlinuz" | xz -dc --single-stream >"$out"
  [ "$(head -c 4 "$out" | od -An -c | tr -d ' ')" = '177ELF' ] || { echo "$out is not an ELF kernel" >&2; return 1; }
}

# A busybox initramfs: Debian's own spends seconds under emulation probing hardware this guest has not.
guest_build_initramfs() {
  local root=$1 kver=$2 out=$3 dir status=0
  dir=$(mktemp -d)
  guest_fill_initramfs "$root" "$kver" "$dir" &&
    (cd "$dir" && find . | "$dir/bin/busybox" cpio -o -H newc) | gzip -1 >"$out" || status=1
  rm -rf "$dir"
  return "$status"
}

guest_fill_initramfs() {
  local root=$1 kver=$2 dir=$3 module
  mkdir -p "$dir/bin" "$dir/dev" "$dir/proc" "$dir/sys" "$dir/newroot" || return 1
  cp "$root/bin/busybox" "$dir/bin/busybox" || return 1
  install -m 755 scripts/guest/initramfs-init "$dir/init" || return 1
  # In the order modprobe would load them, each once: the init insmods the list as it stands.
  for module in "${OWG_GUEST_BOOT_MODULES[@]}"; do
    chroot "$root" modprobe -S "$kver" --show-depends "$module" || return 1
  done | awk '$1 == "insmod" && !seen[$2]++ {print $2}' >"$dir/modules" || return 1
  [ -s "$dir/modules" ] || return 1
  while read -r module; do
    mkdir -p "$dir$(dirname "$module")" || return 1
    cp "$root$module" "$dir$module" || return 1
  done <"$dir/modules"
}

# Keeps the cache to the current build and to others used within a day (another checkout's).
guest_prune_old_images() {
  find "$OWG_GUEST_CACHE" -mindepth 1 -maxdepth 1 -type d ! -path "$1" -mtime +0 -exec rm -rf {} +
}
