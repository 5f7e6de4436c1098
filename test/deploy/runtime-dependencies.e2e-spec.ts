import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * What the image's `npm ci --omit=dev --ignore-scripts` (Dockerfile) relies on, read from the
 * lockfile it installs: no runtime dependency has an install script, because there it would
 * silently not run (a native addon it builds would be missing when the relay starts), and
 * package.json names exact versions, so what the tests ran is what the image gets.
 */

const ROOT = path.join(__dirname, '..', '..');

interface LockedPackage {
  readonly version?: string;
  /** Only in the devDependencies tree: left out by --omit=dev. */
  readonly dev?: boolean;
  readonly hasInstallScript?: boolean;
}

const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, LockedPackage>;
};
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

describe('dependencies', () => {
  it('at run time include no package with an install script (the image installs with --ignore-scripts)', () => {
    const runtime = Object.entries(lock.packages).filter(
      ([where, p]) => where !== '' && p.dev !== true,
    );
    expect(runtime.length).toBeGreaterThan(50);
    expect(runtime.filter(([, p]) => p.hasInstallScript === true).map(([where]) => where)).toEqual(
      [],
    );
  });

  it('are pinned to exact versions in package.json, for run time and development', () => {
    const ranges = Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })
      .filter(([, version]) => !/^\d+\.\d+\.\d+$/.test(version))
      .map(([name, version]) => `${name}@${version}`);
    expect(ranges).toEqual([]);
  });
});
