# SPDX-License-Identifier: PostgreSQL
# bash completion for pgtail.
#
# The candidates come from pgtail itself ('pgtail __complete WORD...'), made
# from its command table, so they always match the pgtail that is installed:
# commands, options, option values, instances, and after --app= --user=
# --db= --host= (or app= user= db= host=) the names seen at the end of the
# log the line names, or of this machine's server's log.  pgtail gives up
# on the log after a fraction of a second, so Tab never hangs the shell.
#
# Installed where bash-completion loads it on first use; to use it without
# installing, source this file from ~/.bashrc.

# The word w without the shell's quoting: backslashes and quotes removed,
# nothing expanded or run.
__pgtail_dequote()
{
	local s=$1 out='' c q=''
	while [[ -n $s ]]; do
		c=${s:0:1}
		s=${s:1}
		if [[ $c == '\' && $q != "'" ]]; then
			out+=${s:0:1}
			s=${s:1}
		elif [[ ($c == "'" || $c == '"') && ( -z $q || $q == "$c" ) ]]; then
			[[ -z $q ]] && q=$c || q=''
		else
			out+=$c
		fi
	done
	printf '%s' "$out"
}

_pgtail()
{
	local cur cword i c pre='' brk files=0
	local -a words args cands

	# The words up to the cursor, with '--app=my' kept whole (bash itself
	# splits words at '=' and ':').
	if declare -F _get_comp_words_by_ref >/dev/null; then
		_get_comp_words_by_ref -n =: cur words cword
	else
		read -r -a words <<<"${COMP_LINE:0:COMP_POINT}"
		[[ ${COMP_LINE:COMP_POINT-1:1} == [[:space:]] || ${#words[@]} -eq 0 ]] && words+=('')
		cword=$((${#words[@]} - 1))
		cur=${words[cword]}
	fi
	for ((i = 1; i <= cword; i++)); do
		if [[ ${words[i]} == *[\\\'\"]* ]]; then
			args+=("$(__pgtail_dequote "${words[i]}")")
		else
			args+=("${words[i]}")
		fi
	done

	local prog=${words[0]}
	[[ $prog == */* || -z $prog ]] || prog=$(type -P "$prog") || prog=pgtail
	mapfile -t cands < <("${prog/#\~/$HOME}" __complete "${args[@]}" 2>/dev/null)

	# bash replaces only the part of the word after its last '=' or ':'
	# (when COMP_WORDBREAKS has them): the candidates lose what precedes it.
	brk=${COMP_WORDBREAKS//[^=:]/}
	cur=${args[cword - 1]}
	if [[ -n $brk && $cur == *["$brk"]* ]]; then
		pre=${cur%"${cur##*["$brk"]}"}
	fi
	COMPREPLY=()
	for c in "${cands[@]}"; do
		if [[ $c == :files ]]; then
			files=1
		elif [[ $c == "$pre"* ]]; then
			c=${c:${#pre}}
			# Quote what the shell would take apart ("my app", "[local]").
			[[ $c == *[^A-Za-z0-9_./=:@%+,-]* ]] && c=$(printf '%q' "$c")
			COMPREPLY+=("$c")
		fi
	done
	# An option that takes a value ("--app="): no space after it.
	if [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *= ]]; then
		compopt -o nospace 2>/dev/null
	fi
	if [[ $files -eq 1 ]]; then
		compopt -o filenames 2>/dev/null
		local IFS=$'\n'
		COMPREPLY+=($(compgen -f -- "${cur:${#pre}}"))
	fi
	return 0
}

complete -F _pgtail pgtail
