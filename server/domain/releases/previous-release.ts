// Which release a new version follows: its CHANGELOG.md and the preview of its changes compare with that one.
import compareSemver from 'semver/functions/compare.js';

/**
 * The release `version` follows: the greatest published version below it by semver precedence
 * (https://semver.org §11, as the `semver` package orders them: 1.0.0-rc.2 < 1.0.0-rc.10 < 1.0.0); with no
 * version, the greatest published one. Undefined when there is none (a first release).
 */
export function previousRelease<R extends { version: string; state: string }>(
  releases: readonly R[],
  version: string | null,
): R | undefined {
  return releases
    .filter((r) => r.state === 'published' && (version === null || compareSemver(r.version, version) < 0))
    .sort((a, b) => compareSemver(b.version, a.version))[0];
}
