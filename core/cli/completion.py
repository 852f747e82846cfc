"""`bulkhead completion bash`: a shell completion script made from the parser itself."""

from __future__ import annotations

import argparse

from .i18n import _


def register(sub) -> None:
    p = sub.add_parser("completion", help=_("print a shell completion script: eval \"$(bulkhead completion bash)\""))
    p.add_argument("shell", choices=("bash",))
    p.set_defaults(func=completion)


def completion(args) -> int:
    from .parser import build

    parser = build()
    lines = ["# bash completion for bulkhead: eval \"$(bulkhead completion bash)\"", "_bulkhead() {",
             "  local cur=${COMP_WORDS[COMP_CWORD]} prev_words=\"${COMP_WORDS[*]:1:COMP_CWORD-1}\"",
             "  case \"$prev_words\" in"]
    entries: list[tuple[str, list[str]]] = []

    def walk(p, prefix: str) -> None:
        subs = [a for a in p._actions if isinstance(a, argparse._SubParsersAction)]
        options = [o for a in p._actions for o in a.option_strings if o.startswith("--")]
        words = options
        for s in subs:
            words = list(s.choices) + options
            for name, child in s.choices.items():
                walk(child, f"{prefix} {name}".strip())
        entries.append((prefix, words))

    walk(parser, "")
    for prefix, words in sorted(entries, key=lambda e: -len(e[0])):
        pattern = f"\"{prefix}\"*" if prefix else "*"
        lines.append(f"    {pattern}) COMPREPLY=($(compgen -W \"{' '.join(words)}\" -- \"$cur\")); return;;")
    lines += ["  esac", "}", "complete -o default -F _bulkhead bulkhead"]
    print("\n".join(lines))
    return 0
