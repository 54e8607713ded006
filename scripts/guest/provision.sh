#!/usr/bin/env bash
# The provisioning boot's script: loads the host's images (saved into the share as images.tar) into
# the guest's dockerd, whose disk the host then keeps, so that test runs start with them.
set -euo pipefail
source scripts/guest/lib.sh

guest_dockerd_start
docker load -i /mnt/share/images.tar
docker image ls
guest_dockerd_stop
