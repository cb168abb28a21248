# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# bash completion for scope-bpf: commands, each command's options, and their
# arguments. Self-contained (needs no bash-completion helpers);
# tests/integration/test_man_options.sh checks it names every option of --help.

_scope_bpf() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local cmd="" i opts
	local common="--help --usage --version"

	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		run | attach | list | report | export | calibrate)
			cmd=${COMP_WORDS[i]}
			break
			;;
		esac
	done
	if [ -z "$cmd" ]; then
		COMPREPLY=($(compgen -W "run attach list report export calibrate --help --version" -- "$cur"))
		return
	fi

	# run: after "--" or the command's name, complete the command's words
	if [ "$cmd" = run ]; then
		for ((i++; i < COMP_CWORD; i++)); do
			case ${COMP_WORDS[i]} in
			--) break ;;
			-o | --output | --ringbuf-size | --max-depth | --site-mode | --counters | --group) ((i++)) ;;
			-*) ;;
			*) break ;;
			esac
		done
		if [ "$i" -lt "$COMP_CWORD" ]; then
			if [ "$((i + 1))" -eq "$COMP_CWORD" ] && [ "${COMP_WORDS[i]}" = -- ]; then
				COMPREPLY=($(compgen -c -- "$cur" | sort -u))
			else
				COMPREPLY=($(compgen -f -- "$cur"))
			fi
			return
		fi
	fi

	case $prev in
	-o | --output)
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	-p | --pid)
		COMPREPLY=($(compgen -W "$(ls /proc | grep -E '^[0-9]+$')" -- "$cur"))
		return
		;;
	-f | --format)
		if [ "$cmd" = export ]; then
			COMPREPLY=($(compgen -W "folded svg csv json perfetto perfetto-proto otf2" -- "$cur"))
		elif [ "$cmd" = report ]; then
			COMPREPLY=($(compgen -W "table csv json" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "table csv" -- "$cur"))
		fi
		return
		;;
	--sort)
		COMPREPLY=($(compgen -W "total self calls mean min max p50 p90 p99 name" -- "$cur"))
		return
		;;
	--weight)
		# and a counter of the file (--counters), which only it knows
		COMPREPLY=($(compgen -W "self calls total task-clock page-faults context-switches cycles instructions cache-misses" -- "$cur"))
		return
		;;
	--top | --region | --thread)
		return
		;;
	--ringbuf-size)
		COMPREPLY=($(compgen -W "1 2 4 8 16 32 64 128 256 512 1024 2048" -- "$cur"))
		return
		;;
	--site-mode)
		COMPREPLY=($(compgen -W "auto trap nop5" -- "$cur"))
		return
		;;
	--counters)
		COMPREPLY=($(compgen -W "task-clock page-faults context-switches cpu-migrations minor-faults major-faults cycles instructions cache-misses branch-misses" -- "${cur##*,}"))
		return
		;;
	--group)
		COMPREPLY=($(compgen -W "$(scope-bpf list --groups --format csv 2>/dev/null | tail -n +2 | cut -d, -f2)" -- "$cur"))
		return
		;;
	--max-depth | -d | --duration | --func)
		return
		;;
	esac

	case $cmd in
	run) opts="--output --force --ringbuf-size --max-depth --site-mode --no-calibrate --likwid-markers --counters --group --trace --trace-buffer --trace-regions --trace-min-duration --trace-max --func --func-file --verbose --quiet --no-status --as-root" ;;
	attach) opts="--pid --duration --output --force --ringbuf-size --max-depth --site-mode --no-calibrate --likwid-markers --counters --group --trace --trace-buffer --trace-regions --trace-min-duration --trace-max --func --func-file --verbose --quiet --no-status" ;;
	list) opts="--format --sites --strict --counters --groups --func --verbose" ;;
	report) opts="--format --threads --meta --raw --metrics --percentiles --sort --top --region --thread --compare --tree --depth --min-percent --follow --verbose" ;;
	export) opts="--format --output --raw --threads --weight --verbose" ;;
	calibrate) opts="--verbose" ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts $common" -- "$cur"))
	elif [ "$cmd" = run ]; then
		COMPREPLY=($(compgen -c -- "$cur" | sort -u))
	elif [ "$cmd" = attach ] || [ "$cmd" = calibrate ]; then
		COMPREPLY=()
	else
		COMPREPLY=($(compgen -f -- "$cur"))
	fi
}

complete -F _scope_bpf scope-bpf
