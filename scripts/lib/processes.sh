# shellcheck shell=bash
# Background processes of a script: started with a log file, all stopped together.

OWG_PIDS=()

# start_logged LOG COMMAND...: runs COMMAND in the background, output to LOG.
start_logged() {
  local log=$1
  shift
  "$@" >"$log" 2>&1 &
  OWG_PIDS+=("$!")
}

stop_all() {
  local pid
  for pid in "${OWG_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${OWG_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  OWG_PIDS=()
}

# wait_for_url URL SECONDS WHAT: polls URL until it answers 2xx, for at most SECONDS.
wait_for_url() {
  wait_for_url_content "$1" "" "$2" "$3"
}

# wait_for_url_content URL TEXT SECONDS WHAT [CURL_ARGS...]: polls URL until a 2xx answer holds TEXT.
wait_for_url_content() {
  local url=$1 text=$2 seconds=$3 what=$4 i
  shift 4
  for ((i = 0; i < seconds * 2; i++)); do
    curl -fsS "$@" "$url" 2>/dev/null | grep -qF -- "$text" && return 0
    sleep 0.5
  done
  echo "timed out after ${seconds}s waiting for $what ($url)" >&2
  return 1
}
