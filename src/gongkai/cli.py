"""The `gongkai` console script: every management command, e.g. `gongkai demo`, `gongkai search`."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.conf.dev")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else ["gongkai", *argv])
    if len(args) == 1:
        args.append("help")
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
