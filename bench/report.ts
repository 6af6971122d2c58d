/**
 * Prints a bench run as one plain-text table (contenders side by side per scenario), followed by the ratios and
 * the issue's targets with pass or miss.
 */
import type { BenchResults, ContenderResult, TargetResult } from './results.ts';

function fixed(value: number | null, digits: number): string {
  return value === null || !Number.isFinite(value) ? '-' : value.toFixed(digits);
}

function throughput(result: ContenderResult): string {
  if (result.status !== 'ok') return '-';
  const parts: string[] = [];
  if (result.files > 1 && result.filesPerSecond !== null)
    parts.push(`${fixed(result.filesPerSecond, 0)} files/s`);
  if (result.bytes > 0 && result.mibPerSecond !== null) parts.push(`${fixed(result.mibPerSecond, 1)} MiB/s`);
  return parts.join(', ') || '-';
}

/** The contender's name, with what it worked on where a scenario runs it more than once ("engine mkv"). */
function contenderLabel(result: ContenderResult): string {
  return result.subject ? `${result.contender} ${result.subject}` : result.contender;
}

function cpu(result: ContenderResult): string {
  if (result.userSeconds === null || result.systemSeconds === null) return '-';
  return fixed(result.userSeconds + result.systemSeconds, 1);
}

function pad(cells: readonly string[], widths: readonly number[]): string {
  return cells
    .map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
    .join('  ');
}

function targetLine(t: TargetResult): string {
  const verdict = t.pass === null ? 'n/a ' : t.pass ? 'PASS' : 'MISS';
  const measured = t.measured === null ? 'not measured' : fixed(t.measured, 2);
  return `  [${verdict}] ${t.scenario}: ${t.description}: ${measured} (target ${t.comparison} ${t.threshold})`;
}

/** The whole report as text (the table, then ratios, targets and notes). */
export function formatReport(results: BenchResults): string {
  const header = [
    'scenario',
    'contender',
    'wall s',
    'throughput',
    'peak RSS MiB',
    'CPU s',
    'sandbox CPU s',
    'requests',
    'status',
  ];
  const rows: string[][] = [];
  for (const scenario of results.scenarios) {
    for (const result of scenario.contenders) {
      rows.push([
        `${scenario.id} ${scenario.workload}`,
        contenderLabel(result),
        result.status === 'ok' ? fixed(result.wallSeconds, 2) : '-',
        throughput(result),
        result.status === 'ok' ? fixed(result.peakRssMiB, 0) : '-',
        result.status === 'ok' ? cpu(result) : '-',
        result.status === 'ok' ? fixed(result.sandboxCpuSeconds, 1) : '-',
        result.status === 'ok' && result.sandboxRequests ? String(result.sandboxRequests.total) : '-',
        result.status === 'ok' ? 'ok' : `${result.status}${result.note ? `: ${result.note}` : ''}`,
      ]);
    }
  }
  const widths = header.map((cell, i) =>
    i === header.length - 1 ? 0 : Math.max(cell.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const lines = [
    `Alegion Uploader bench, ${results.date}${results.quick ? ' (quick sizes)' : ''}`,
    `${results.machine.cores} cores (${results.machine.cpuModel}), ${results.machine.memoryGiB} GiB RAM, Node ${results.machine.node}, ` +
      `load average ${results.machine.loadAverage.start.toFixed(1)} at start, ${results.machine.loadAverage.end.toFixed(1)} at end`,
    '',
    pad(header, widths),
    pad(
      header.map((_, i) => '-'.repeat(widths[i] || 6)),
      widths,
    ),
    ...rows.map((row) => pad(row, widths)),
    '',
    'Ratios:',
  ];
  for (const scenario of results.scenarios) {
    for (const [name, value] of Object.entries(scenario.ratios)) {
      lines.push(`  ${scenario.id}: ${name}: ${fixed(value, 2)}`);
    }
  }
  const phased = results.scenarios.flatMap((scenario) =>
    scenario.contenders
      .filter((c) => c.phases && Object.keys(c.phases).length > 0)
      .map((c) => {
        const parts = Object.entries(c.phases ?? {}).map(
          ([name, seconds]) => `${name} ${fixed(seconds, 2)} s`,
        );
        return `  ${scenario.id} ${contenderLabel(c)}: ${parts.join(', ')}`;
      }),
  );
  if (phased.length > 0) lines.push('', 'Phases:', ...phased);
  const checked = results.scenarios.flatMap((scenario) =>
    scenario.contenders
      .filter((c) => c.status === 'ok' && c.verified)
      .map((c) => `  ${scenario.id} ${contenderLabel(c)}: ${c.verified}`),
  );
  if (checked.length > 0) lines.push('', 'Checked after each run:', ...checked);
  lines.push('', 'Targets:');
  for (const scenario of results.scenarios) for (const t of scenario.targets) lines.push(targetLine(t));
  const notes = [
    ...results.notes,
    ...results.scenarios.flatMap((s) => s.notes.map((note) => `${s.id}: ${note}`)),
  ];
  if (notes.length > 0) lines.push('', 'Notes:', ...notes.map((note) => `  - ${note}`));
  return `${lines.join('\n')}\n`;
}
