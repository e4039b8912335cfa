"""``journeymapper new FILE.jmap [--template NAME]``"""

from __future__ import annotations

import argparse

from journeymapper.storage import ProjectFile
from journeymapper.storage.templates import fill_from_template, load_template, template_names


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("new", help="make a project, blank or from a template",
                       description="Make a project file. Without --template: one segment "
                                   "('All customers') and no stages.")
    p.add_argument("file", metavar="FILE.jmap")
    p.add_argument("--template", metavar="NAME",
                   help=f"start from a template: {', '.join(repr(n) for n in template_names())}")
    p.add_argument("--name", help="the project's name (default: the file's name)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    template = load_template(args.template) if args.template else None
    with ProjectFile.create(args.file, args.name) as project:
        if template:
            fill_from_template(project, template)
        segments = project.segments()
        touchpoints = len(project.touchpoints())
    print(f"{args.file}: {len(segments)} segment(s) ({', '.join(s.name for s in segments)}), "
          f"{touchpoints} touchpoint(s)")
    return 0
