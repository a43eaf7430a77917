"""What the fuzz run did, kept across its cases and printed at the end of the pytest session."""

import time
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class FuzzReport:
    started: float | None = None
    cases: Counter[str] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    accepted_writes: Counter[str] = field(default_factory=Counter)
    without_negative_cases: list[str] = field(default_factory=list)

    def record(self, operation: str, status: int | None) -> None:
        if self.started is None:
            self.started = time.monotonic()
        self.cases[operation] += 1
        if status is not None:
            self.statuses[status // 100 * 100] += 1
            if status < 300 and not operation.startswith("GET "):
                self.accepted_writes[operation] += 1

    def fail(self, operation: str) -> None:
        self.failures[operation] += 1

    def lines(self) -> list[str]:
        if not self.cases:
            return []
        seconds = time.monotonic() - (self.started or time.monotonic())
        classes = ", ".join(f"{status // 100}xx {count}" for status, count in sorted(self.statuses.items()))
        lines = [
            f"fuzz: {len(self.cases)} operations, {sum(self.cases.values())} cases, "
            f"{sum(self.failures.values())} failing cases in {len(self.failures)} operations, "
            f"{seconds:.0f} s",
            f"fuzz: answers {classes}",
            f"fuzz: write operations that stored something (2xx): {len(self.accepted_writes)} of "
            f"{sum(1 for operation in self.cases if not operation.startswith('GET '))}",
        ]
        never = [op for op in self.cases if not op.startswith("GET ") and op not in self.accepted_writes]
        if never:
            lines.append(f"fuzz: writes with no 2xx (every generated case was refused): {', '.join(never)}")
        if self.without_negative_cases:
            lines.append(
                f"fuzz: no input to violate, positive cases only: {', '.join(self.without_negative_cases)}"
            )
        lines += [f"fuzz: FAILED {operation}: {count} cases" for operation, count in self.failures.items()]
        return lines


FUZZ_REPORT = FuzzReport()
