#!/usr/bin/env bash
# The Playwright e2e suite against a private, throwaway SceneLab stack: the real API, Celery worker,
# embedded PostgreSQL and Redis (backend/scripts/run_stack.py), on a free port, with its data in a
# temporary folder and untrained model weights (built locally by the backend tests' helper, no download).
# Usage (repo root or frontend/): bash frontend/scripts/e2e-stack.sh [playwright args...]
# Needs: `make install` (the .venv) and npm ci in frontend/. Installs Debian's chromium when missing.
set -euo pipefail

FRONTEND="$(cd "$(dirname "$0")/.." && pwd)"
REPO="$(cd "$FRONTEND/.." && pwd)"
PY="${PYTHON:-$REPO/.venv/bin/python}"
WORK="$(mktemp -d -t scenelab-e2e-XXXXXX)"

if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "[e2e] installing Debian's chromium"
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi

PORT="${E2E_PORT:-$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
FLOWER="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
read -r DEPTH_WEIGHTS HEATMAP_WEIGHTS < <(cd "$REPO/backend" && "$PY" -c \
  'from scripts.devstack import untrained_weights as w; print(w("yolo26n-depth.yaml"), w("yolov8n.yaml"))')

(cd "$FRONTEND" && npm run build --silent)

echo "[e2e] starting the stack on http://127.0.0.1:$PORT (data in $WORK)"
# LOGIN_ATTEMPTS_PER_MINUTE: reachable by the lockout test (per account), yet three times that per address leaves
# room for every login and sign-up of the suite in a minute. WEBHOOK_ALLOW_PRIVATE: the webhook test's receiver
# listens on loopback.
(
  cd "$REPO/backend"
  export DATA_DIR="$WORK/data" VIDEOS_DIR="$WORK/videos" HEATMAPS_DIR="$WORK/heatmaps" DEPTH_MAPS_DIR="$WORK/depth_maps" \
    MODELS_DIR="$WORK/models" API_HOST=127.0.0.1 API_PORT="$PORT" FLOWER_PORT="$FLOWER" \
    DEPTH_MODEL="$DEPTH_WEIGHTS" HEATMAP_MODEL="$HEATMAP_WEIGHTS" DEPTH_IMGSZ=128 HEATMAP_IMGSZ=160 DEVICE=cpu \
    BCRYPT_ROUNDS=4 LOGIN_ATTEMPTS_PER_MINUTE=20 WEBHOOK_ALLOW_PRIVATE=true
  exec setsid "$PY" scripts/run_stack.py
) >"$WORK/stack.log" 2>&1 &
STACK=$!

stop() {
  kill -TERM -- "-$STACK" 2>/dev/null || kill -TERM "$STACK" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$STACK" 2>/dev/null || break; sleep 0.5; done
  kill -KILL -- "-$STACK" 2>/dev/null || true
  rm -rf "$WORK"
}
trap stop EXIT

for _ in $(seq 1 240); do
  if curl -fsS "http://127.0.0.1:$PORT/api/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$STACK" 2>/dev/null; then echo "[e2e] the stack exited:"; tail -40 "$WORK/stack.log"; exit 1; fi
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$PORT/api/health" || { echo "[e2e] no healthy API:"; tail -40 "$WORK/stack.log"; exit 1; }
echo

cd "$FRONTEND"
status=0
E2E_BASE_URL="http://127.0.0.1:$PORT" E2E_PYTHON="$PY" E2E_HEATMAPS_DIR="$WORK/heatmaps" npx playwright test "$@" || status=$?
if [ "$status" -ne 0 ]; then echo "[e2e] last lines of the stack's log:"; tail -30 "$WORK/stack.log"; fi
exit "$status"
