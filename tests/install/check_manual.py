#!/usr/bin/env python3
"""The manual page says what --help says: for every subcommand of PROGRAM, the same options,
each with the same description, and the footer. Usage: check_manual.py PROGRAM MANPAGE.
The page is rendered by man(1) as a reader sees it (wide, so that nothing wraps)."""
import os
import re
import subprocess
import sys


def run(args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw).stdout


def squash(text):
    # man typesets hyphens and quotes; whitespace is layout.
    for typeset, plain in (("\u2010", "-"), ("\u2212", "-"), ("\u2019", "'"), ("\u2018", "'"),
                           ("\u201c", '"'), ("\u201d", '"'), ("\u00a0", " ")):
        text = text.replace(typeset, plain)
    return " ".join(text.split())


def help_options(program, command):
    """(names, description) of each option --help lists, positionals included."""
    text = run([program, command, "--help"])
    options, current = [], None
    section = None
    for line in text.splitlines():
        if line in ("Positionals:", "Options:"):
            section = line
            continue
        if not line.strip():
            section = None if current is None else section
            continue
        m = re.match(r"^  (\S.*?)(?:\s{2,}(\S.*))?$", line)
        if section and m and not line.startswith("   "):
            head = m.group(1)
            names = [n for n in re.split(r"[ ,]", head) if n.startswith("-")]
            if section == "Positionals:":
                names = [head.split()[0]]
            current = [names, m.group(2) or ""]
            options.append(current)
        elif section and current is not None and line.startswith("   "):
            current[1] += " " + line.strip()  # CLI11 puts a long head's description below it
    return [(n, squash(d)) for n, d in options], text


def main():
    program, page = sys.argv[1], sys.argv[2]
    env = dict(os.environ, MANWIDTH="400", LC_ALL="C.UTF-8")
    rendered = run(["man", "-l", page], env=env)
    commands_at = rendered.index("\nCOMMANDS\n")
    end = re.search(r"\n[A-Z][A-Z ]+\n", rendered[commands_at + 10:])
    commands_text = rendered[commands_at: commands_at + 10 + end.start()]
    sections = re.split(r"\n   (\S+)\n", commands_text)
    by_command = {sections[i]: sections[i + 1] for i in range(1, len(sections) - 1, 2)}
    top = run([program, "--help"])
    commands = re.findall(r"^  (\S+)\s{2,}", top.split("Subcommands:")[1], re.M)
    problems = []
    if sorted(commands) != sorted(by_command):
        problems.append(f"commands: --help {commands}, manual {sorted(by_command)}")
    for command in commands:
        section = by_command.get(command, "")
        flat = squash(section)
        options, help_text = help_options(program, command)
        if not options:
            problems.append(f"{command}: no options read from --help")
        for names, description in options:
            for name in names:
                if not re.search(r"(^|[\s,])" + re.escape(name) + r"($|[\s,])", flat):
                    problems.append(f"{command}: {name} is not in the manual")
            if description and description not in flat:
                problems.append(f"{command} {names}: description differs: {description!r}")
        manual_names = set(re.findall(r"^       (-\S+?)(?:,|\s|$)", section, re.M))
        manual_names |= set(re.findall(r"^       -\S+, (--\S+)", section, re.M))
        help_names = {n for names, _ in options for n in names if n.startswith("-")}
        extra = manual_names - help_names
        if extra:
            problems.append(f"{command}: the manual has options --help lacks: {sorted(extra)}")
        footer = help_text.rstrip("\n").split("\n\n")[-1]
        if not footer.startswith(("Options:", "Positionals:")) and squash(footer) not in flat:
            problems.append(f"{command}: footer differs")
    for p in problems:
        print(f"check_manual: {program}: {p}", file=sys.stderr)
    print(f"check_manual: {os.path.basename(program)}: {len(commands)} commands, "
          f"{'ok' if not problems else str(len(problems)) + ' problem(s)'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
