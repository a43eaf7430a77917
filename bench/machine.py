"""What the figures were measured on: CPU model, cores, memory, Python, from /proc and the stdlib."""

import os
import platform
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Machine:
    cpu_model: str
    cores: int
    memory_gib: float
    python: str
    system: str

    def describe(self) -> str:
        return (
            f"{self.cores} cores ({self.cpu_model}), {self.memory_gib:.0f} GiB memory, no GPU used; "
            f"Python {self.python} on {self.system}"
        )


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _memory_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return 0.0


def describe_machine() -> Machine:
    return Machine(
        cpu_model=_cpu_model(),
        cores=os.cpu_count() or 0,
        memory_gib=_memory_gib(),
        python=platform.python_version(),
        system=platform.platform(terse=True),
    )


def load_average() -> tuple[float, float, float]:
    """1, 5 and 15 minute load averages: other work on the machine shows up in every figure."""
    return os.getloadavg()


def own_memory_mib(field: str) -> float:
    """This process's `field` of /proc/self/status (VmRSS, VmHWM) in MiB; NaN where there is none."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def reset_peak_memory() -> None:
    """Reset VmHWM to the current resident size, so that the peak read next is that of what follows."""
    Path("/proc/self/clear_refs").write_text("5")
