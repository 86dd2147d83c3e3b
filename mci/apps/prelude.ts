import type { Recipe } from './schema.ts';

/**
 * What every rendered install script starts with: strict bash, a few helpers recipes call, and a
 * preflight that checks the recipe's requirements on the VM itself. The preflight's messages come
 * from `requirementMessages`, which the sim's emulated shell uses too, so a recipe that fails on
 * the sim fails with the words it would fail with on a real VM.
 */

/** Exit codes of s2a's helpers, so callers can tell a requirement from a download problem. */
export const EXIT_CODES = {
  requirements: 3,
  needsReboot: 4,
  apt: 5,
  download: 6,
  notReady: 7,
  docker: 8,
} as const;

/** Numbers in a message are given as text: a shell expression on real VMs, the spec's value on the sim. */
export const requirementMessages = {
  arch: (app: string, wanted: readonly string[], actual: string) =>
    `${app} runs on ${wanted.join(', ')}; this VM is ${actual}`,
  vcpu: (app: string, minimum: number, actual: string) =>
    `${app} needs at least ${minimum} vCPUs; this VM has ${actual}`,
  memory: (app: string, minimumGiB: number, actualGiB: string) =>
    `${app} needs at least ${minimumGiB} GiB of memory; this VM has ${actualGiB} GiB`,
  gpu: (app: string) =>
    `${app} requires an NVIDIA GPU (CUDA); this VM has none (nvidia-smi: command not found)`,
  gpuMemory: (app: string, minimumGiB: number, actualGiB: string) =>
    `${app} needs a GPU with at least ${minimumGiB} GiB of memory; the largest GPU here has ${actualGiB} GiB`,
};

/** Real VMs report a little less memory than their size (firmware, kernel): accept 90 %. */
export const MEMORY_TOLERANCE = 0.9;

/** `uname -m` names of the recipe architectures. */
const MACHINE_NAMES: Record<'x86_64' | 'arm64', string> = { x86_64: 'x86_64', arm64: 'aarch64' };

const LIBRARY = String.raw`set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH"

# Prints "s2a: <message>" on stderr and exits with <code>.
s2a_fail() { local code="$1"; shift; echo "s2a: $*" >&2; exit "$code"; }

# A value the next steps (or s2a) read: "s2a-output: <name>=<value>".
s2a_output() { printf 's2a-output: %s=%s\n' "$1" "$2"; }

# Fresh VMs run cloud-init (and its apt runs) for a while after sshd is up.
s2a_wait_for_boot() {
  if command -v cloud-init >/dev/null 2>&1; then cloud-init status --wait >/dev/null 2>&1 || true; fi
}

# apt-get install with lock waits and retries (mirrors fail now and then).
s2a_apt_install() {
  local attempt
  for attempt in 1 2 3 4 5; do
    if apt-get -o DPkg::Lock::Timeout=300 -q update &&
      apt-get -o DPkg::Lock::Timeout=300 -q install -y --no-install-recommends "$@"; then
      return 0
    fi
    echo "s2a: apt-get install $* failed (attempt $attempt of 5), retrying" >&2
    sleep $((attempt * 10))
  done
  s2a_fail 5 "apt-get install $* failed 5 times; check the node's network and apt sources"
}

s2a_require_curl() {
  command -v curl >/dev/null 2>&1 || s2a_apt_install curl ca-certificates
}

# s2a_download <url> <file>
s2a_download() {
  s2a_require_curl
  curl -fsSL --retry 5 --retry-delay 3 --retry-connrefused -o "$2" "$1" || s2a_fail 6 "cannot download $1"
}

# s2a_wait_http <url> <seconds>: waits until the URL answers with a 2xx or 3xx status.
s2a_wait_http() {
  local deadline=$((SECONDS + $2))
  s2a_require_curl
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do
    [ "$SECONDS" -lt "$deadline" ] || s2a_fail 7 "$1 did not answer within $2 s"
    sleep 2
  done
}

s2a_has_nvidia_gpu() { grep -qs 0x10de /sys/bus/pci/devices/*/vendor; }

S2A_GPU_MISSING_MESSAGE="this app requires an NVIDIA GPU (CUDA); this VM has none"
S2A_MIN_GPU_MEMORY_GIB=0
S2A_GPU_MEMORY_MESSAGE="the largest GPU here has %s GiB, too little for this app"

# Installs the NVIDIA server driver when the VM has a GPU but no driver (images without CUDA),
# then checks the GPU memory the recipe asks for.
s2a_ensure_nvidia_driver() {
  if ! nvidia-smi -L >/dev/null 2>&1; then
    s2a_has_nvidia_gpu || s2a_fail 3 "$S2A_GPU_MISSING_MESSAGE"
    s2a_apt_install ubuntu-drivers-common
    ubuntu-drivers install --gpgpu
    local version
    version=$(dpkg -l 'nvidia-headless-no-dkms-*' 2>/dev/null | awk '/^ii/ {print $2}' |
      grep -o '[0-9]\+' | head -n 1 || true)
    if [ -n "$version" ]; then s2a_apt_install "nvidia-utils-$version-server"; fi
    modprobe nvidia 2>/dev/null || true
    nvidia-smi -L >/dev/null 2>&1 ||
      s2a_fail 4 "the NVIDIA driver is installed but not loaded; reboot the node and install the app again"
  fi
  if [ "$S2A_MIN_GPU_MEMORY_GIB" -gt 0 ]; then
    local largest
    largest=$(nvidia-smi --query-gpu=memory.total --format=csv,noheader,nounits | sort -n | tail -n 1 || true)
    [ -n "$largest" ] || largest=0
    if [ "$largest" -lt $((S2A_MIN_GPU_MEMORY_GIB * 1024 * 9 / 10)) ]; then
      s2a_fail 3 "$(printf "$S2A_GPU_MEMORY_MESSAGE" "$((largest / 1024))")"
    fi
  fi
}

# Installs Docker Engine with Docker's convenience script when it is missing.
s2a_ensure_docker() {
  if ! command -v docker >/dev/null 2>&1; then
    s2a_download https://get.docker.com /tmp/s2a-get-docker.sh
    sh /tmp/s2a-get-docker.sh
  fi
  systemctl enable --now docker >/dev/null 2>&1 || true
  docker info >/dev/null 2>&1 || s2a_fail 8 "docker is installed but not running; see journalctl -u docker"
}
`;

/** Bash single-quoted text (for messages put into variables). */
function quoted(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** The preflight: one check per requirement, each failing with exit code 3 and a clear message. */
export function preflight(recipe: Recipe): string {
  const { requirements } = recipe;
  const app = recipe.name;
  const lines = ['# Preflight: the recipe requirements, checked on the VM.'];
  // The GPU first: without one nothing else matters.
  if (requirements.gpu) {
    lines.push(`S2A_GPU_MISSING_MESSAGE=${quoted(requirementMessages.gpu(app))}`);
    lines.push('s2a_has_nvidia_gpu || s2a_fail 3 "$S2A_GPU_MISSING_MESSAGE"');
    if (typeof requirements.gpu === 'object') {
      lines.push(`S2A_MIN_GPU_MEMORY_GIB=${Math.ceil(requirements.gpu.minMemoryGiB)}`);
      lines.push(
        `S2A_GPU_MEMORY_MESSAGE=${quoted(requirementMessages.gpuMemory(app, requirements.gpu.minMemoryGiB, '%s'))}`,
      );
    }
  }
  if (requirements.arch) {
    const names = requirements.arch.map((arch) => MACHINE_NAMES[arch]).join('|');
    lines.push(
      `case "$(uname -m)" in ${names}) ;; *) s2a_fail 3 ${quoted(requirementMessages.arch(app, requirements.arch, '__ACTUAL__')).replace('__ACTUAL__', `'"$(uname -m)"'`)} ;; esac`,
    );
  }
  if (requirements.minVcpu !== undefined) {
    const message = quoted(requirementMessages.vcpu(app, requirements.minVcpu, '__ACTUAL__')).replace(
      '__ACTUAL__',
      `'"$(nproc)"'`,
    );
    lines.push(`[ "$(nproc)" -ge ${requirements.minVcpu} ] || s2a_fail 3 ${message}`);
  }
  if (requirements.minMemoryGiB !== undefined) {
    const minimumKiB = Math.floor(requirements.minMemoryGiB * 1024 * 1024 * MEMORY_TOLERANCE);
    const message = quoted(requirementMessages.memory(app, requirements.minMemoryGiB, '__ACTUAL__')).replace(
      '__ACTUAL__',
      `'"$(awk '/^MemTotal:/ {printf "%.1f", $2 / 1048576}' /proc/meminfo)"'`,
    );
    lines.push(
      `[ "$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)" -ge ${minimumKiB} ] || s2a_fail 3 ${message}`,
    );
  }
  lines.push('s2a_wait_for_boot');
  return `${lines.join('\n')}\n`;
}

/** The helpers every script may call (s2a_apt_install, s2a_download, s2a_output, …). */
export function library(): string {
  return LIBRARY;
}
