#!/usr/bin/env bash
# Starts the built app. Without a display (a server, CI, SSH) it starts a
# virtual one with Xvfb, so `make run` still works and can be screenshotted.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/bin/caiji
[ -x "$bin" ] || { echo "没有找到 $bin，请先运行 make build。" >&2; exit 1; }
# WebKitGTK's DMA-BUF renderer shows a blank window on some drivers and on Xvfb.
export WEBKIT_DISABLE_DMABUF_RENDERER=1
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "未检测到图形桌面，在虚拟显示（Xvfb）中启动。截图：DISPLAY=:99 import -window root shot.png"
  command -v Xvfb >/dev/null || { echo "缺少 Xvfb：apt-get install xvfb" >&2; exit 1; }
  Xvfb :99 -screen 0 1366x900x24 -nolisten tcp &
  xvfb_pid=$!
  trap 'kill $xvfb_pid 2>/dev/null' EXIT
  export DISPLAY=:99
  sleep 1
fi
exec_args=("$@")
"$bin" "${exec_args[@]}"
