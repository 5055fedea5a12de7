#!/usr/bin/env bash
# The .deb as a user gets it. cpack builds it from BUILD_DIR; it is unpacked into a scratch root
# (dpkg-deb -x: nothing on this machine changes), and from the installed paths alone:
# --version of both programs, `panmun-index build` and `panmun-query search` on the installed
# sample, `man panmun-query` (and the other pages), the bash completion of `panmun-query se<TAB>`
# and more, zsh reads its completions; every shared library the programs load belongs to a package
# the .deb depends on; the manual pages say what --help says (check_manual.py).
# Usage: deb_test.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "deb_test: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB -B "$work/pkg" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; fail "cpack failed"; }
deb=$(ls "$work"/pkg/panmun_*.deb)
echo "deb_test: built $(basename "$deb"), $(stat -c %s "$deb") bytes"
dpkg-deb -f "$deb" Package Version Architecture Depends
root=$work/root
dpkg-deb -x "$deb" "$root"

# What is installed where Debian puts it.
for f in usr/bin/panmun-index usr/bin/panmun-query \
         usr/share/man/man1/panmun-index.1.gz usr/share/man/man1/panmun-query.1.gz \
         usr/share/man/man5/panmun.5.gz \
         usr/share/bash-completion/completions/panmun-index \
         usr/share/bash-completion/completions/panmun-query \
         usr/share/zsh/vendor-completions/_panmun-index usr/share/zsh/vendor-completions/_panmun-query \
         usr/share/panmun/gazetteer.tsv usr/share/doc/panmun/README.md usr/share/doc/panmun/FORMAT.md \
         usr/share/doc/panmun/examples/articles.jsonl; do
    [ -e "$root/$f" ] || fail "the package lacks /$f"
done
if dpkg-deb -c "$deb" | grep -E 'gtest|gmock|/include/|unit_tests|e2e_tests'; then
    fail "the package ships test or development files"
fi

# Every shared library the programs link to (NEEDED) comes from a package the .deb depends on;
# the libraries those load are their packages' own dependencies.
depends=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/(.*)//; s/|.*//; s/ //g')
for program in panmun-index panmun-query; do
    needed=$(objdump -p "$root/usr/bin/$program" | awk '/NEEDED/ {print $2}')
    while read -r soname lib; do
        grep -qx "$soname" <<<"$needed" || continue
        owner=$(dpkg -S "$(readlink -f "$lib")" 2>/dev/null | head -1 | cut -d: -f1) ||
            owner=$(dpkg -S "$lib" 2>/dev/null | head -1 | cut -d: -f1) || true
        [ -n "$owner" ] || fail "$program loads $lib, which no package owns"
        grep -qx "$owner" <<<"$depends" || fail "$program loads $lib from $owner, not in Depends"
    done < <(ldd "$root/usr/bin/$program" | awk '/=> \// {print $1, $3}')
done
echo "deb_test: every library the programs link to is a dependency"

# From the installed paths alone.
run() { env -i PATH="$root/usr/bin:/usr/bin:/bin" HOME="$work" LC_ALL=C.UTF-8 "$@"; }
for program in panmun-index panmun-query; do
    version=$(run "$program" --version)
    for want in "$program 0." "archive format" Xapian zstd ICU; do
        grep -q "$want" <<<"$version" || fail "$program --version lacks $want: $version"
    done
    [ "$(command -v "$root/usr/bin/$program")" = "$root/usr/bin/$program" ] || fail "$program"
done
archive=$work/sample.panmun
run panmun-index build -q -a "$archive" "$root/usr/share/doc/panmun/examples/articles.jsonl"
hits=$(run panmun-query search -a "$archive" --count '"liaison office"')
[ "$hits" -ge 2 ] || fail "search on the installed sample found $hits"
run panmun-query search -a "$archive" --json -n 1 Kaesong | grep -q '"total"' || fail "search --json"
run panmun-index stats -a "$archive" | grep -q "by panmun 0." || fail "stats does not name the writer"
echo "deb_test: installed programs built the sample and found $hits documents"

# man finds the pages by name under the scratch root.
for page in panmun-query panmun-index "5 panmun"; do
    # shellcheck disable=SC2086
    text=$(MANPATH="$root/usr/share/man" MANWIDTH=100 LC_ALL=C.UTF-8 man -P cat $page 2>&1) ||
        fail "man $page: $text"
    grep -q "^NAME" <<<"$text" || fail "man $page has no NAME"
done
MANPATH="$root/usr/share/man" man -P cat panmun-query | grep -q "entities" || fail "man panmun-query"
"$here/check_manual.py" "$root/usr/bin/panmun-query" "$root/usr/share/man/man1/panmun-query.1.gz"
"$here/check_manual.py" "$root/usr/bin/panmun-index" "$root/usr/share/man/man1/panmun-index.1.gz"

# bash: complete as the shell would after <TAB>.
complete_bash() {  # complete_bash PROGRAM WORD... (the last word is the one being completed)
    local program=$1
    shift
    bash -c '
        source "$1"; shift
        COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
        fn=$(complete -p "$1" | sed "s/.*-F \([^ ]*\) .*/\1/")
        "$fn" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
        printf "%s\n" "${COMPREPLY[@]}"' _ \
        "$root/usr/share/bash-completion/completions/$program" "$program" "$@"
}
expect() {  # expect WHAT WORDS...: what the completion of WORDS... offers includes WHAT
    local want=$1 got
    shift
    got=$(cd "$work" && complete_bash "$@")
    grep -qx -- "$want" <<<"$got" || fail "completing '$*' offers [${got//$'\n'/ }], not $want"
}
expect search panmun-query se
[ "$(complete_bash panmun-query se | sort | tr '\n' ' ')" = "search serve " ] ||
    fail "panmun-query se<TAB> does not offer just search and serve"
expect --archive panmun-query search --arc
expect month panmun-query search --by m
expect sample.panmun panmun-query search -a sam
expect event panmun-query entities --type ev
expect compact panmun-index com
expect --dry-run panmun-index sync --dry
echo "deb_test: bash completes panmun-query se<TAB> (search, serve), options, choices, archives"

# zsh: the completion functions parse, and define what compinit expects.
if command -v zsh >/dev/null; then
    for program in panmun-index panmun-query; do
        f=$root/usr/share/zsh/vendor-completions/_$program
        zsh -n "$f" || fail "zsh cannot parse $f"
        head -1 "$f" | grep -qx "#compdef $program" || fail "$f lacks #compdef"
    done
    echo "deb_test: zsh parses both completion functions"
fi
echo "deb_test: ok"
