#!/bin/bash
# owg-healthcheck tcp PORT | http PORT PATH: the container is healthy when the silo's port accepts
# a connection (on the address a silo listens on, its advertised one), or when the HTTP path
# answers 200. Plain bash: the image has no curl.
set -eu
case ${1:-} in
  tcp) exec 3<>"/dev/tcp/${Silo__AdvertisedAddress:-127.0.0.1}/$2" ;;
  http)
    exec 3<>"/dev/tcp/127.0.0.1/$2"
    printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$3" >&3
    IFS= read -r status <&3
    [[ $status == *" 200 "* ]]
    ;;
  *) echo "usage: owg-healthcheck tcp PORT | http PORT PATH" >&2; exit 2 ;;
esac
