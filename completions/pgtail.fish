# SPDX-License-Identifier: PostgreSQL
# fish completion for pgtail.
#
# The candidates and their descriptions come from pgtail itself ('pgtail
# __complete --describe WORD...'), made from its command table, so they
# always match the pgtail that is installed: commands, options, option
# values, instances, and after --app= --user= --db= --host= (or app=
# user= db= host=) the names seen at the end of the log the line names, or
# of this machine's server's log.  pgtail gives up on the log after a
# fraction of a second, so Tab never hangs the shell.
#
# Installed in a vendor_completions.d directory, fish loads it on first
# use; to use it without installing, copy it to ~/.config/fish/completions/.

function __pgtail_complete
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    # An empty current word is still a word: the one being completed.
    set -q cur[1]; or set cur ''
    set -l files 0
    for line in (command $words[1] __complete --describe $words[2..-1] $cur 2>/dev/null)
        if test "$line" = :files
            set files 1
        else
            printf '%s\n' $line
        end
    end
    if test $files = 1
        __fish_complete_path $cur
    end
end

complete -c pgtail -f -a '(__pgtail_complete)'
