#!/usr/bin/env bash
# Installs what a target needs, only what is missing, so `make run` and
# `make test` work on a fresh Debian 12 machine and are quick on a warm one.
#   scripts/deps.sh build   GTK/WebKit headers, the pinned Wails CLI, npm packages
#   scripts/deps.sh test    build + Xvfb, Chromium, CJK fonts, ImageMagick, OpenSC
#   scripts/deps.sh dist    build + NSIS (Windows installer), mingw-w64 (cgo)
set -euo pipefail
cd "$(dirname "$0")/.."

WAILS_VERSION=v2.16.0
need_go="1.26"

# softhsm2: demo mode's USB keys (make run) and the token tests.
apt_build=(build-essential pkg-config libgtk-3-dev libwebkit2gtk-4.1-dev softhsm2)
apt_test=(xvfb xauth chromium fonts-noto-cjk imagemagick opensc openssl)
# PKCS#11 needs cgo, so the Windows exe cross-compiles with mingw-w64.
apt_dist=(nsis gcc-mingw-w64-x86-64)

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m错误：\033[0m%s\n' "$*" >&2; exit 1; }

check_toolchains() {
  command -v go >/dev/null || die "没有找到 Go（需要 ${need_go} 或更高）。请先安装 Go：https://go.dev/dl/"
  local have
  have=$(go env GOVERSION | sed 's/^go//')
  printf '%s\n%s\n' "$need_go" "$have" | sort -V -C || die "Go 版本过旧：$have，需要 ${need_go} 或更高。"
  command -v node >/dev/null || die "没有找到 Node.js（需要 20.19 或更高）。"
  command -v npm >/dev/null || die "没有找到 npm。"
}

apt_install() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "缺少系统软件包：${missing[*]}。请以 root 身份运行：apt-get install ${missing[*]}"
    sudo="sudo"
  fi
  say "安装系统软件包：${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

wails_cli() {
  local bin
  bin="$(go env GOPATH)/bin/wails"
  if [ -x "$bin" ] && "$bin" version 2>/dev/null | grep -q "^${WAILS_VERSION}"; then return 0; fi
  say "安装 Wails CLI ${WAILS_VERSION}"
  go install "github.com/wailsapp/wails/v2/cmd/wails@${WAILS_VERSION}"
}

# npm ci only when package-lock.json changed since the last install.
npm_packages() {
  local stamp=frontend/node_modules/.caiji-lock.sha256 sum
  sum=$(sha256sum frontend/package-lock.json | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then return 0; fi
  say "安装前端依赖（npm ci）"
  (cd frontend && npm ci --no-audit --no-fund --loglevel=error)
  echo "$sum" > "$stamp"
}

case "${1:-build}" in
  build) check_toolchains; apt_install "${apt_build[@]}"; wails_cli; npm_packages ;;
  test)  check_toolchains; apt_install "${apt_build[@]}" "${apt_test[@]}"; wails_cli; npm_packages ;;
  dist)  check_toolchains; apt_install "${apt_build[@]}" "${apt_dist[@]}"; wails_cli; npm_packages ;;
  *) die "用法：scripts/deps.sh build|test|dist" ;;
esac
