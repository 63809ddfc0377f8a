#!/usr/bin/env bash
# The Debian packages tinyforge's toolchain, emulators and tests use. Safe to run again: installs only what is missing.
set -euo pipefail

PACKAGES=(
  gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm     # Cortex-M firmware and the mps2-an386 virtual board
  gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf qemu-system-misc  # the RISC-V (ESP32-C3 stand-in) image
  socat stm32flash                                               # serial tests on pseudo-terminals, the STM32 peer tool
  openocd                                                        # SWD flashing through debug probes (flash --probe openocd)
  espeak-ng                                                      # the keyword data set generator (synthetic voices)
  chromium                                                       # rendering check of the HTML reports
  gcc                                                            # native baseline in benchmarks, QEMU plugin
  cmake                                                          # builds the projects `tinyforge export --as cmake` writes
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "system packages: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "system packages: done"
