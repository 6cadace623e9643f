import { globalOptions, type ArgumentNode, type CommandNode, type OptionNode, type ValueKind } from './command-tree.js';

/**
 * Shell completion scripts for bash, zsh and fish, written from the program's command tree
 * (command-tree.ts), so commands and options added later complete with no further work.
 *
 * Commands, options, choices and file names complete inside the shell, without starting Node. Only
 * account names need lifeboat: the scripts run `lifeboat [--vault PATH] __complete accounts`, which
 * answers from an unlocked session only and never prompts or decrypts (commands/complete.ts).
 *
 * Why not a library: @bomb.sh/tab 0.0.22 fits commander 14 (peer `^13.1 || ^14 || ^15`) and is
 * maintained, but its scripts run the whole program on every TAB, even to list command names, its
 * commander adapter adds a visible `complete` command of its own, and it is still at 0.0.x
 * (github.com/bombshell-dev/tab, src/commander.ts). The scripts below are short enough to own.
 */

/** The shells `lifeboat completion` writes a script for. */
export const SHELLS = ['bash', 'zsh', 'fish'] as const;

/** One of the shells above. */
export type Shell = (typeof SHELLS)[number];

/** The hidden command the scripts call for account names (program.ts registers it). */
export const COMPLETE_COMMAND = '__complete';

/** Writes the completion script for a shell. */
export function completionScript(program: CommandNode, shell: Shell): string {
  switch (shell) {
    case 'bash':
      return bashScript(program);
    case 'zsh':
      return zshScript(program);
    case 'fish':
      return fishScript(program);
  }
}

function flagsOf(options: readonly OptionNode[]): string[] {
  return options.flatMap((option) => [option.short, option.long].filter((flag): flag is string => flag !== undefined));
}

/** A word list for a shell, single-quoted: the names come from program.ts, but quoting keeps any of them inert. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function kindWord(value: ValueKind): string {
  return value.kind === 'choice' ? `choice ${value.choices.join(' ')}` : value.kind;
}

function positional(command: CommandNode): { fixed: ArgumentNode[]; rest: ArgumentNode | undefined } {
  const last = command.arguments.at(-1);
  return last?.variadic ? { fixed: command.arguments.slice(0, -1), rest: last } : { fixed: [...command.arguments], rest: undefined };
}

// ---------------------------------------------------------------------------------------------------
// bash: one function registered with `complete -F`. It reads COMP_LINE up to COMP_POINT itself rather
// than COMP_WORDS, because bash splits COMP_WORDS at ':' and '=' (COMP_WORDBREAKS), which would cut
// account names such as github:work in two (bash(1), "Programmable Completion").

function bashScript(program: CommandNode): string {
  const name = program.name;
  const fn = `_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const valueCases: string[] = [];
  const addValueCases = (commandName: string, options: readonly OptionNode[]): void => {
    for (const option of options) {
      if (option.value.kind === 'none') continue;
      const patterns = [option.short, option.long].filter((flag): flag is string => flag !== undefined);
      valueCases.push(`    ${patterns.map((flag) => shellQuote(`${commandName} ${flag}`)).join('|')}) echo ${shellQuote(kindWord(option.value))} ;;`);
    }
  };
  addValueCases('', program.options);
  const commandCases: string[] = [];
  for (const command of program.commands) {
    const options = [...command.options, ...globalOptions(program, command)];
    addValueCases(command.name, options);
    const { fixed, rest } = positional(command);
    commandCases.push(
      `    ${shellQuote(command.name)}) options=${shellQuote(flagsOf(options).join(' '))}; arguments=(${fixed.map((a) => shellQuote(kindWord(a.value))).join(' ')}); rest=${shellQuote(rest ? kindWord(rest.value) : '')} ;;`,
    );
  }
  const commands = program.commands.map((command) => command.name).join(' ');
  return `# bash completion for ${name}, written by \`${name} completion bash\` from its own commands.
# Install:  ${name} completion bash > ~/.local/share/bash-completion/completions/${name}
#     or:   echo 'eval "$(${name} completion bash)"' >> ~/.bashrc

# What an option's value is (file, text, account, or "choice A B"); nothing for a switch.
# $1 is the command ('' before one), $2 the option.
${fn}_option_value() {
  case "$1 $2" in
${valueCases.join('\n')}
  esac
}

# Fills COMPREPLY with the values of kind $1 that start with $2; $3 is the --vault given, if any.
${fn}_values() {
  local values=''
  case $1 in
    file) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -f -- "$2"); return ;;
    account) values=$(${name} \${3:+--vault "$3"} ${COMPLETE_COMMAND} accounts 2>/dev/null </dev/null) ;;
    command) values=${shellQuote(commands)} ;;
    choice\\ *) values=\${1#choice } ;;
    *) COMPREPLY=(); return ;;
  esac
  mapfile -t COMPREPLY < <(compgen -W "$values" -- "$2")
}

${fn}() {
  local line=\${COMP_LINE:0:COMP_POINT}
  local -a words
  read -ra words <<< "$line"
  if [[ \${#words[@]} -eq 0 || $line =~ [[:space:]]$ ]]; then words+=(''); fi
  local cur=\${words[\${#words[@]}-1]} prev='' command='' vault='' count=0 i word options rest
  local -a arguments
  for ((i = 1; i < \${#words[@]} - 1; i++)); do
    word=\${words[i]}
    case $word in
      --*=*) [[ \${word%%=*} == --vault ]] && vault=\${word#*=} ;;
      -*)
        if [[ -n $(${fn}_option_value "$command" "$word") ]]; then
          [[ $word == --vault ]] && vault=\${words[i+1]}
          ((i++))
        fi ;;
      *) if [[ -z $command ]]; then command=$word; else count=$((count + 1)); fi ;;
    esac
  done
  [[ \${#words[@]} -ge 2 ]] && prev=\${words[\${#words[@]}-2]}

  options=${shellQuote(flagsOf(program.options).join(' '))} rest='' arguments=()
  case $command in
${commandCases.join('\n')}
  esac

  local kind=''
  if [[ $prev == -* && $prev != *=* ]]; then kind=$(${fn}_option_value "$command" "$prev"); fi
  if [[ -n $kind ]]; then
    ${fn}_values "$kind" "$cur" "$vault"
  elif [[ $cur == --*=* ]]; then
    ${fn}_values "$(${fn}_option_value "$command" "\${cur%%=*}")" "\${cur#*=}" "$vault"
    return
  elif [[ $cur == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$options" -- "$cur")
  elif [[ -z $command ]]; then
    ${fn}_values command "$cur"
  elif [[ $count -lt \${#arguments[@]} ]]; then
    ${fn}_values "\${arguments[count]}" "$cur" "$vault"
  else
    ${fn}_values "$rest" "$cur" "$vault"
  fi
  # bash replaces only the part of the word after the last ':' (COMP_WORDBREAKS), so drop what is before it.
  if [[ $cur == *:* && $COMP_WORDBREAKS == *:* ]]; then
    local colon=\${cur%"\${cur##*:}"}
    for i in "\${!COMPREPLY[@]}"; do COMPREPLY[i]=\${COMPREPLY[i]#"$colon"}; done
  fi
}

complete -F ${fn} ${name}
`;
}

// ---------------------------------------------------------------------------------------------------
// zsh: `_arguments` specs (zshcompsys(1), "_arguments"), a state for the command's own arguments.

/** Escapes text for an `_arguments` description in brackets, inside single quotes. */
function zshDescription(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/([[\]:])/g, '\\$1').replace(/'/g, `'\\''`).replace(/\n/g, ' ');
}

function zshAction(value: ValueKind): string {
  switch (value.kind) {
    case 'file':
      return '_files';
    case 'account':
      return '_lifeboat_accounts';
    case 'command':
      return '_lifeboat_commands';
    case 'choice':
      return `(${value.choices.join(' ')})`;
    default:
      return ' ';
  }
}

function zshOption(option: OptionNode): string[] {
  const flags = [option.short, option.long].filter((flag): flag is string => flag !== undefined);
  const description = zshDescription(option.description);
  const value = option.value.kind === 'none' ? '' : `:${option.value.kind}:${zshAction(option.value)}`;
  return flags.map((flag) => {
    const exclusive = flags.length > 1 ? `(${flags.join(' ')})` : '';
    const equals = option.value.kind !== 'none' && flag.startsWith('--') ? '=' : '';
    return `'${exclusive}${flag}${equals}[${description}]${value}'`;
  });
}

function zshScript(program: CommandNode): string {
  const name = program.name;
  const commandLines = program.commands.map((command) => `    '${command.name.replace(/:/g, '\\:')}:${command.description.replace(/'/g, `'\\''`)}'`);
  const cases = program.commands.map((command) => {
    const specs = [...command.options, ...globalOptions(program, command)].flatMap(zshOption);
    const { fixed, rest } = positional(command);
    fixed.forEach((argument, index) => specs.push(`'${index + 1}:${argument.name}:${zshAction(argument.value)}'`));
    if (rest) specs.push(`'*:${rest.name}:${zshAction(rest.value)}'`);
    return `      ${command.name})\n        _arguments -s \\\n          ${specs.join(' \\\n          ')} && ret=0 ;;`;
  });
  return `#compdef ${name}
# zsh completion for ${name}, written by \`${name} completion zsh\` from its own commands.
# Install:  ${name} completion zsh > "\${fpath[1]}/_${name}"   (then start a new shell)
#     or:   echo 'source <(${name} completion zsh)' >> ~/.zshrc   (after compinit)

_lifeboat_commands() {
  local -a commands
  commands=(
${commandLines.join('\n')}
  )
  _describe -t commands '${name} command' commands
}

# Account names come only from an unlocked session: ${name} never decrypts on TAB.
_lifeboat_accounts() {
  # --vault after the command is in this opt_args; before it, in the one _${name} kept.
  local vault=\${opt_args[--vault]:-$_lifeboat_vault}
  local -a accounts
  accounts=(\${(f)"$(${name} \${vault:+--vault "$vault"} ${COMPLETE_COMMAND} accounts 2>/dev/null </dev/null)"})
  compadd -a accounts
}

_${name}() {
  local curcontext="$curcontext" state line ret=1
  typeset -A opt_args
  # -A '-*': options after the command are the command's, so the inner _arguments sees them.
  _arguments -C -s -A '-*' \\
    ${program.options.flatMap(zshOption).join(' \\\n    ')} \\
    '1:command:_lifeboat_commands' \\
    '*:: :->arguments' && ret=0
  case $state in
    arguments)
      local _lifeboat_vault=\${opt_args[--vault]}
      curcontext="\${curcontext%:*:*}:${name}-$words[1]:"
      case $words[1] in
${cases.join('\n')}
      esac ;;
  esac
  return ret
}

if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _${name} "$@"
else
  compdef _${name} ${name}
fi
`;
}

// ---------------------------------------------------------------------------------------------------
// fish: `complete` lines (fish's complete(1)); a helper counts the command's arguments typed so far.

function fishOption(condition: string, option: OptionNode): string {
  const parts = ['complete -c lifeboat'];
  if (condition) parts.push(`-n ${shellQuote(condition)}`);
  if (option.short) parts.push(`-s ${option.short.slice(1)}`);
  if (option.long) parts.push(`-l ${option.long.slice(2)}`);
  switch (option.value.kind) {
    case 'none':
      break;
    case 'file':
      parts.push('-r -F');
      break;
    case 'choice':
      parts.push(`-x -a ${shellQuote(option.value.choices.join(' '))}`);
      break;
    case 'account':
      parts.push(`-x -a '(__lifeboat_accounts)'`);
      break;
    default:
      parts.push('-x');
  }
  parts.push(`-d ${shellQuote(option.description.replace(/\n/g, ' '))}`);
  return parts.join(' ');
}

/** A completion for argument `position` of a command: "0", "1", … or "N-" for N and every later one. */
function fishArgument(command: string, position: string, argument: ArgumentNode): string | undefined {
  const at = shellQuote(`__lifeboat_argument_at ${command} ${position}`);
  switch (argument.value.kind) {
    case 'file':
      return `complete -c lifeboat -n ${at} -F`;
    case 'account':
      return `complete -c lifeboat -n ${at} -a '(__lifeboat_accounts)'`;
    case 'command':
      return `complete -c lifeboat -n ${at} -a '(__lifeboat_commands)'`;
    case 'choice':
      return `complete -c lifeboat -n ${at} -a ${shellQuote(argument.value.choices.join(' '))}`;
    default:
      return undefined;
  }
}

function fishScript(program: CommandNode): string {
  const name = program.name;
  const valueFlags = new Set<string>();
  for (const command of [program, ...program.commands]) {
    for (const option of command.options) {
      if (option.value.kind === 'none') continue;
      if (option.short) valueFlags.add(option.short);
      if (option.long) valueFlags.add(option.long);
    }
  }
  const lines: string[] = [];
  for (const option of program.options) lines.push(fishOption('', option));
  for (const command of program.commands) {
    lines.push(`complete -c lifeboat -n __fish_use_subcommand -a ${shellQuote(command.name)} -d ${shellQuote(command.description)}`);
  }
  for (const command of program.commands) {
    const condition = `__fish_seen_subcommand_from ${command.name}`;
    for (const option of command.options) lines.push(fishOption(condition, option));
    const { fixed, rest } = positional(command);
    const arguments_ = fixed.map((argument, index) => fishArgument(command.name, String(index), argument));
    if (rest) arguments_.push(fishArgument(command.name, `${fixed.length}-`, rest));
    lines.push(...arguments_.filter((line): line is string => line !== undefined));
  }
  return `# fish completion for ${name}, written by \`${name} completion fish\` from its own commands.
# Install:  ${name} completion fish > ~/.config/fish/completions/${name}.fish

# Options whose next word is their value, so it is not counted as an argument.
set -g __lifeboat_value_options ${[...valueFlags].join(' ')}

function __lifeboat_commands
    printf '%s\\n' ${program.commands.map((command) => shellQuote(command.name)).join(' ')}
end

# True when the word being completed is argument N (from 0; "N-" for N or later) of command $argv[1].
function __lifeboat_argument_at
    set -l words (commandline -opc)
    set -l command ''
    set -l count 0
    set -l skip 0
    for word in $words[2..-1]
        if test $skip = 1
            set skip 0
        else if contains -- $word $__lifeboat_value_options
            set skip 1
        else if string match -q -- '-*' $word
        else if test -z "$command"
            set command $word
        else
            set count (math $count + 1)
        end
    end
    test "$command" = "$argv[1]"; or return 1
    set -l want (string replace -- '-' '' $argv[2])
    if string match -q -- '*-' $argv[2]
        test $count -ge $want
    else
        test $count -eq $want
    end
end

# Account names come only from an unlocked session: ${name} never decrypts on TAB.
function __lifeboat_accounts
    set -l words (commandline -opc)
    set -l vault
    for i in (seq (count $words))
        if test "$words[$i]" = --vault; and test $i -lt (count $words)
            set vault --vault $words[(math $i + 1)]
        end
    end
    ${name} $vault ${COMPLETE_COMMAND} accounts 2>/dev/null </dev/null
end

complete -c lifeboat -f
${lines.join('\n')}
`;
}
