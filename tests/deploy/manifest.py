"""What the deploy checks share: the commands xianfeng accepts, the variables the settings know."""

from __future__ import annotations

import re

from shared.cli import build_parser
from shared.settings import SERVICES, known_variables

INTERPOLATION = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)")
FLOWER = ["celery", "-A", "shared.celery:monitor", "flower"]


def xianfeng_command(command: list[str]):
    """The parsed arguments of ``xianfeng …`` (argparse exits on anything ``xianfeng --help`` lacks)."""
    assert command[0] == "xianfeng", command
    args = build_parser().parse_args(command[1:])
    if getattr(args, "service", None) is not None:
        assert args.service in SERVICES, command
    return args


def unknown_variables(names) -> list[str]:
    known = set(known_variables())
    return sorted(n for n in names if n.startswith("XIANFENG_") and n not in known)


def interpolated(text: str) -> set[str]:
    return set(INTERPOLATION.findall(text))
