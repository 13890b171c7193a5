#!/bin/bash
# SPDX-License-Identifier: PostgreSQL
# The installed completion scripts in the real shells: installed into a
# temporary DESTDIR, each is loaded the way its shell finds it -- bash
# through the bash-completion package's loader (XDG_DATA_DIRS), zsh
# through fpath and compinit, fish through its vendor_completions.d
# directories -- and the candidates it offers are checked: commands,
# options, option values, files, instances, and the application, user,
# database and host names of the corpus log.  bash is asked as readline
# asks (COMP_WORDS split at '=' and ':'), then driven in tmux; zsh is
# driven in tmux (it has no other way to list what Tab offers); fish
# answers 'complete -C', which is what its Tab shows.
#
#   BUILD=build PGTAIL=build/pgtail tests/complete/run.sh
set -u
cd "$(dirname "$0")/../.." || exit 1
top=$(pwd)
. tests/lib/test-lib.sh
BUILD=${BUILD:-build}
fx=$top/tests/fixtures/default-prefix/postgresql-2026-11-29_004152.log

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pgtail-complete.XXXXXX") || exit 1
sock=$tmp/tmux.sock
cleanup() {
	tmux -S "$sock" kill-server 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for t in bash zsh fish tmux; do
	command -v $t >/dev/null || bail "$t is installed" "scripts/install-deps.sh test installs it"
done
[ -f /usr/share/bash-completion/bash_completion ] ||
	bail "bash-completion is installed" "scripts/install-deps.sh test installs it"

# The install, and a place to complete in: the corpus log as pg.log, a
# directory, a fake data directory for --instance, a big sparse log.
root=$tmp/root
share=$root/usr/local/share
meson install -C "$BUILD" --destdir "$root" --no-rebuild --quiet >"$tmp/install.out" 2>&1 ||
	bail "meson install into a DESTDIR" "$(tail -10 "$tmp/install.out")"
work=$tmp/work
mkdir -p "$work/subdir" "$work/data" "$tmp/home"
ln -s "$fx" "$work/pg.log"
echo 15 >"$work/data/PG_VERSION"
export PATH=$root/usr/local/bin:$PATH HOME=$tmp/home XDG_CONFIG_HOME=$tmp/home/.config
export XDG_DATA_DIRS=$share:/usr/share XDG_DATA_HOME=$tmp/home/.local/share
export PGDATA=$work/data NO_COLOR=1
# pgtail reads the log for names for 300 ms: on a loaded machine, or under
# the sanitizers, that may not be all of the corpus log.  The checks of
# what is offered give it all the time it needs; the checks of how long it
# takes use the default.
export PGTAIL_COMPLETE_MS=60000
unset BASH_COMPLETION_USER_DIR
cd "$work" || exit 1
[ "$(command -v pgtail)" = "$root/usr/local/bin/pgtail" ] ||
	bail "the installed pgtail comes first in PATH" "$(command -v pgtail)"

# check_list NAME EXPECTED ACTUAL: the same lines, in any order.
check_list() {
	check_eq "$1" "$(printf '%s\n' "$2" | sort)" "$(printf '%s\n' "$3" | sort)"
}
# check_has NAME NEEDLE... -- HAYSTACK: every needle is a line of it.
check_has() {
	local name=$1 miss="" n
	shift
	local -a needles=()
	while [ "$1" != -- ]; do
		needles+=("$1")
		shift
	done
	for n in "${needles[@]}"; do
		printf '%s\n' "$2" | grep -q -x -F -- "$n" || miss+=" [$n]"
	done
	if [ -z "$miss" ]; then pass "$name"; else fail "$name" "missing:$miss
in:
$2"; fi
}

# --- bash ---------------------------------------------------------------------------

# bash_complete LINE: what Tab offers at the end of LINE, one a line, as
# bash-completion's loader finds and runs the script.  With PLAIN=1, the
# script is sourced alone, as a bash without bash-completion has it.
bash_complete() {
	bash --norc --noprofile -c '
		if [ "${PLAIN:-}" = 1 ]; then
			. "$2" || { echo "NOT LOADED"; exit 1; }
		else
			. /usr/share/bash-completion/bash_completion
			__load_completion pgtail || { echo "NOT LOADED"; exit 1; }
		fi
		line=$1
		COMP_WORDS=()
		for t in $line; do
			while [[ $t =~ ^([^=:]*)([=:]+)(.*)$ ]]; do
				[[ -n ${BASH_REMATCH[1]} ]] && COMP_WORDS+=("${BASH_REMATCH[1]}")
				COMP_WORDS+=("${BASH_REMATCH[2]}")
				t=${BASH_REMATCH[3]}
			done
			[[ -n $t ]] && COMP_WORDS+=("$t")
		done
		[[ $line == *" " ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE=$line COMP_POINT=${#line}
		f=$(complete -p pgtail) && f=${f#*-F } && f=${f%% *}
		"$f" pgtail "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}"' _ "$1" "$share/bash-completion/completions/pgtail" 2>&1
}

out=$(bash_complete "pgtail ")
check_list "bash: pgtail <Tab> offers the commands (not the hidden ones)" "connections
top
serve
list
help" "$out"
check_eq "bash: pgtail co<Tab> completes connections" "connections" "$(bash_complete "pgtail co")"
check_list "bash: options" "--watch
--window=" "$(bash_complete "pgtail connections --w")"
# The choices are the program's list of formats (every format and transport).
format_choices=$("$PGTAIL" __complete connections --format= | sed 's/^--format=//')
check_has "bash: the formats include the three destinations" stderr csvlog jsonlog -- "$format_choices"
check_list "bash: --format= offers its choices" "$format_choices" "$(bash_complete "pgtail connections --format=")"
check_has "bash: --window= offers durations" 30s 15m 1h 1d -- \
	"$(bash_complete "pgtail connections --history --window=")"
check_list "bash: --app= offers the application names of the log" 'psql
pgbench
corpus-sampler
rails
sidekiq
my\ app
myapp' "$(bash_complete "pgtail connections pg.log --app=")"
check_list "bash: app=my offers the names that start so, quoted for the shell" 'my\ app
myapp' "$(bash_complete "pgtail connections pg.log app=my")"
check_list "bash: --user= offers the log's users" "postgres
admin
app_user
readonly
reporting
ghost" "$(bash_complete "pgtail connections pg.log --user=")"
check_eq "bash: db=prod completes the database" "production" \
	"$(bash_complete "pgtail connections pg.log --history db=prod")"
check_has "bash: --host= offers the log's hosts, [local] quoted" '\[local\]' 127.0.0.5 -- \
	"$(bash_complete "pgtail connections pg.log --host=")"
check_eq "bash: a PATH completes files and directories" "subdir" \
	"$(bash_complete "pgtail connections su")"
check_has "bash: --instance= offers the instances' numbers and data directories" \
	"$work/data" -- "$(bash_complete "pgtail connections --instance=")"
if bash_complete "pgtail connections --instance=" | grep -q -x '[1-9][0-9]*'; then
	pass "bash: --instance= offers instance numbers"
else
	fail "bash: --instance= offers instance numbers" "$(bash_complete "pgtail connections --instance=")"
fi
check_list "bash without bash-completion: the script sourced alone offers the names" 'my\ app
myapp' "$(PLAIN=1 bash_complete "pgtail connections pg.log --app=my")"
check_eq "bash without bash-completion: options" "--sessions" \
	"$(PLAIN=1 bash_complete "pgtail connections --ses")"
check_list "bash: help <Tab> offers the commands" "connections
top
serve
list
help" "$(bash_complete "pgtail help ")"

# Never a hang, with the default budget: a 16 GB log (sparse, the corpus
# log at its end: reading all of it would take far longer) and a FIFO
# nobody writes to.  The time is the whole completion, bash and
# bash-completion included.
cp "$fx" "$work/big.log" && truncate -s 16G "$work/big.log" && cat "$fx" >>"$work/big.log"
t0=${EPOCHREALTIME/[.,]/}
out=$(PGTAIL_COMPLETE_MS='' bash_complete "pgtail connections big.log --app=side")
ms=$(((${EPOCHREALTIME/[.,]/} - t0) / 1000))
check_eq "bash: the names at a 16 GB log's end" "sidekiq" "$out"
if [ $ms -lt 3000 ]; then
	pass "bash: completing from a 16 GB log takes under 3 s ($ms ms)"
else
	fail "bash: completing from a 16 GB log takes under 3 s ($ms ms)"
fi
rm -f "$work/big.log"
mkfifo "$work/fifo"
t0=${EPOCHREALTIME/[.,]/}
out=$(PGTAIL_COMPLETE_MS='' bash_complete "pgtail connections fifo --app=")
ms=$(((${EPOCHREALTIME/[.,]/} - t0) / 1000))
if [ $ms -lt 3000 ]; then
	pass "bash: a FIFO as the log does not hang completion ($ms ms)"
else
	fail "bash: a FIFO as the log does not hang completion ($ms ms)"
fi
rm -f "$work/fifo"

# --- the terminal: bash and zsh in tmux ----------------------------------------------

screen() { tmux -S "$sock" capture-pane -t "$1" -p 2>/dev/null; }
shows() { screen "$1" | grep -F -q -- "$2"; }
keys() {
	local w=$1
	shift
	tmux -S "$sock" send-keys -t "$w" "$@"
}
# wait_for NAME WINDOW TEXT: pass when TEXT is on WINDOW's screen within 10 s.
wait_for() {
	if retry_until 10 shows "$2" "$3"; then pass "$1"; else fail "$1" "screen:
$(screen "$2" | grep -v '^$' | tail -15)"; fi
}
# The prompt line, without the prompt: what the line editor holds.
prompt_line() { screen "$1" | grep '^%\( \|$\)' | tail -1 | sed 's/^% *//; s/ *$//'; }
line_is() { screen "$1" | grep -q '^%\( \|$\)' && [ "$(prompt_line "$1")" = "$2" ]; }
wait_line() {
	if retry_until "${4:-10}" line_is "$2" "$3"; then pass "$1"; else fail "$1" "line: [$(prompt_line "$2")]"; fi
}
tmux_shell() {
	tmux -S "$sock" new-window -d -t t -n "$1" -c "$work" "$2" 2>/dev/null ||
		tmux -S "$sock" new-session -d -s t -n "$1" -x 132 -y 40 -c "$work" "$2"
}

# bash, interactive, with bash-completion as Debian's bash.bashrc loads it.
cat >"$tmp/bashrc" <<'EOF'
. /usr/share/bash-completion/bash_completion
PS1='% '
EOF
tmux_shell bash "env TERM=xterm bash --noprofile --rcfile $tmp/bashrc -i"
wait_line "bash: the interactive shell starts" t:bash "" 30
keys t:bash "pgtail connections pg.log --app=side" Tab
wait_line "bash: Tab completes --app=side to the log's sidekiq" t:bash \
	"pgtail connections pg.log --app=sidekiq"
keys t:bash C-u "pgtail connections pg.log --app=" Tab Tab
wait_for "bash: Tab Tab lists the log's applications" t:bash "corpus-sampler"
keys t:bash C-c C-u

# zsh with compinit, the script found in fpath.
mkdir -p "$tmp/zdot"
cat >"$tmp/zdot/.zshrc" <<EOF
fpath=($share/zsh/site-functions \$fpath)
autoload -Uz compinit && compinit -u -d $tmp/zdot/.zcompdump
zstyle ':completion:*' format '-- %d --'
PS1='%% '
EOF
tmux_shell zsh "env TERM=xterm ZDOTDIR=$tmp/zdot zsh -i"
wait_line "zsh: the interactive shell starts" t:zsh "" 30
keys t:zsh "pgtail co" Tab
wait_line "zsh: pgtail co<Tab> completes connections" t:zsh "pgtail connections"
keys t:zsh C-u "pgtail connections pg.log --app=" Tab
wait_for "zsh: --app=<Tab> lists the log's applications" t:zsh "--app=sidekiq"
wait_for "zsh: ... with what they are" t:zsh "-- application"
keys t:zsh C-u "pgtail connections pg.log user=rea" Tab
wait_line "zsh: user=rea<Tab> completes the log's readonly" t:zsh \
	"pgtail connections pg.log user=readonly"
keys t:zsh C-u "pgtail connections --s" Tab
wait_for "zsh: options are listed with their help" t:zsh "the open sessions, oldest first"
keys t:zsh C-u "pgtail connections --form" Tab
wait_line "zsh: an option that takes a value gets no space after its =" t:zsh \
	"pgtail connections --format="
keys t:zsh C-u "pgtail connections sub" Tab
wait_line "zsh: a PATH completes directories" t:zsh "pgtail connections subdir/"

# --- fish ---------------------------------------------------------------------------

fish_complete() { fish -c "complete -C '$1'" 2>&1; }
out=$(fish_complete "pgtail ")
check_has "fish: commands, with their summaries" \
	"connections	Show who is connected: open sessions, connects, failures" \
	"list	Find the PostgreSQL instances of this machine and their logs" -- "$out"
if printf '%s\n' "$out" | grep -q __; then
	fail "fish: no hidden command is offered" "$out"
else
	pass "fish: no hidden command is offered"
fi
check_has "fish: --app= offers the log's applications" \
	"--app=myapp	application" "--app=my app	application" "--app=sidekiq	application" -- \
	"$(fish_complete "pgtail connections pg.log --app=")"
check_list "fish: host=127.0.0.4 completes a host" "host=127.0.0.4	host" \
	"$(fish_complete "pgtail connections pg.log host=127.0.0.4")"
check_has "fish: options, with their help" "--format=	the log's format, instead of detecting it" -- \
	"$(fish_complete "pgtail connections --fo")"
check_list "fish: --format= offers its choices" "$(printf -- '--format=%s\n' $format_choices)" \
	"$(fish_complete "pgtail connections --format=")"
check_has "fish: a PATH completes directories" "subdir/" -- \
	"$(fish_complete "pgtail connections su")"
check_has "fish: --instance= offers the data directories" "--instance=$work/data" -- \
	"$(fish_complete "pgtail connections --instance=" | cut -f1)"

test_summary
