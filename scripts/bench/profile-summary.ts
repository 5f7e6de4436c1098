import { readFileSync } from 'node:fs';

/**
 * Where a `node --cpu-prof` profile spent its time: self time by function and by package.
 *   node -e "$BENCH_TS_LOADER" scripts/bench/profile-summary.ts <file.cpuprofile> [top]
 */

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
  readonly hitCount?: number;
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

function packageOf(url: string): string {
  const nodeModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nodeModules) return nodeModules[1];
  const lib = /\/(libs\/[^/]+|apps\/[^/]+)\//.exec(url);
  if (lib) return lib[1];
  if (url.startsWith('node:')) return 'node core';
  return url === '' ? '(native/gc/idle)' : url;
}

function main(): void {
  const [file, top = '25'] = process.argv.slice(2).filter((a) => !a.endsWith('.ts'));
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) =>
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)),
  );
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    total += us;
    const where = url.replace(/^.*\/(node_modules|dist\/apps\/calendar-relay)\//, '');
    const key = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    byPackage.set(packageOf(url), (byPackage.get(packageOf(url)) ?? 0) + us);
  }
  const print = (title: string, map: Map<string, number>, n: number) => {
    console.log(`\n${title}`);
    for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) {
      console.log(
        `${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`,
      );
    }
  };
  console.log(`busy (non-idle) time: ${(total / 1000).toFixed(0)} ms`);
  print('self time by package', byPackage, 15);
  print('self time by function', byFunction, Number(top));
}

main();
