import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The research notes are the oracle for the flags and file contents EKS-A uses: tests read expected values from
 * them instead of restating (or snapshotting) what our code produces.
 */
export function research(name: 'eksa' | 'capi'): string {
  return readFileSync(path.resolve(__dirname, '../../../shared/research', `${name}.md`), 'utf8');
}

/** The text between two markers (the first marker included), with line breaks and indentation collapsed. */
export function section(text: string, start: string, end: string): string {
  const from = text.indexOf(start);
  if (from < 0) {
    throw new Error(`research text has no '${start}'`);
  }
  const to = text.indexOf(end, from + start.length);
  return text.slice(from, to < 0 ? undefined : to).replace(/\s+/g, ' ');
}

/** The first backticked span starting with `prefix`, e.g. the `kind create cluster …` command. */
export function backticked(text: string, prefix: string): string {
  const found = backtickedAll(text, prefix)[0];
  if (found === undefined) {
    throw new Error(`research text has no \`${prefix}…\``);
  }
  return found;
}

export function backtickedAll(text: string, prefix: string): string[] {
  const out: string[] = [];
  const re = /`([^`]+)`/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[1].startsWith(prefix)) {
      out.push(m[1]);
    }
  }
  return out;
}

/**
 * A command from the research as argv, with placeholders (`<name>`, `<EKS-D kind node image>`, `…`) replaced
 * through `values` (keys are the placeholder text without brackets). Placeholders may sit inside a word
 * (`<name>/generated/<name>.kind.kubeconfig`). An unknown placeholder fails the test.
 */
export function commandArgv(command: string, values: Record<string, string>): string[] {
  const substituted = command.replace(/<([^>]+)>/g, (_, key: string) => {
    if (!(key in values)) {
      throw new Error(`no value for placeholder <${key}> in '${command}'`);
    }
    return encodeURIComponent(values[key]);
  });
  return substituted
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .map((w) => decodeURIComponent(w));
}

/**
 * Fills a command written with `…` for values (`--repository … --owner …`): each `…` takes the value of the flag
 * before it from `byFlag`. Optional parts in brackets (`[--personal]`, `[--core capi-system/cluster-api:<v>]`)
 * are kept, without brackets, when their flag is listed in `include`, and dropped otherwise.
 */
export function fillEllipses(
  command: string,
  byFlag: Record<string, string>,
  include: readonly string[] = [],
): string {
  const withOptionals = command.replace(/\[([^\]]+)\]/g, (_, inner: string) => {
    const flag = inner.trim().split(/\s+/)[0];
    return include.includes(flag) ? inner : '';
  });
  return withOptionals.replace(/(--[a-z-]+)\s+…/g, (_, flag: string) => {
    if (!(flag in byFlag)) {
      throw new Error(`no value for ${flag} in '${command}'`);
    }
    return `${flag} ${byFlag[flag]}`;
  });
}
